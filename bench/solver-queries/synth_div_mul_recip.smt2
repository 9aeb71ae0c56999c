(declare-const x (_ FloatingPoint 8 24))
(declare-const y (_ FloatingPoint 8 24))
(assert (not (= (ite (fp.isNaN (fp.div RNE x y)) #x7fc00000 (fp.to_ieee_bv (fp.div RNE x y))) (ite (fp.isNaN (fp.mul RNE x (fp.div RNE ((_ to_fp 8 24) RNE 1.0) y))) #x7fc00000 (fp.to_ieee_bv (fp.mul RNE x (fp.div RNE ((_ to_fp 8 24) RNE 1.0) y)))))))
