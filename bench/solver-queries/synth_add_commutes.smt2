(declare-const x (_ FloatingPoint 8 24))
(declare-const y (_ FloatingPoint 8 24))
(assert (not (= (ite (fp.isNaN (fp.add RNE x y)) #x7fc00000 (fp.to_ieee_bv (fp.add RNE x y))) (ite (fp.isNaN (fp.add RNE y x)) #x7fc00000 (fp.to_ieee_bv (fp.add RNE y x))))))
