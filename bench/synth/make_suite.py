#!/usr/bin/env python3
"""Writes bench/synth/problems/<name>.json: the `ksynth synth` benchmark
suite (issue 14), 30 problems modelled on KernelBench level 1 and level 2 at
their real sizes (KernelBench's batch 16 and dims; level-2 GEMMs 128x512 by
1024, convs 128 channels at 32x32). Each spec lists a small, non-multiple
shape (enumerated) beside the deployment shape (last; the bench shape).

usage: python3 bench/synth/make_suite.py [OUT_DIR]
"""
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "problems")
TOL_T = {"atol": 1e-05, "rtol": 1e-04}  # transcendentals
TOL_R = {"atol": 1e-03, "rtol": 1e-03}  # matmul, conv, norms, pooling
# Row sums and means: the summation form (docs/spec-format.md, the scale
# frontend/pytorch/magnitude.py judges sums by): |cand - ref| <= atol +
# sum_rtol * sum |terms|, with sum_rtol >= 2 gamma_n (n * 1.2e-7, about
# 2e-3 at rows of 16384), which every summation order (the work-group trees)
# meets; atol covers a mean's divisions that may underflow. The spec accepts
# it only for sum, mean and matmul over inputs (softmax and the norms keep
# TOL_T / TOL_R; max is exact).
TOL_SUM = {"sum_rtol": 2e-03}
TOL_MEAN = {"sum_rtol": 2e-03, "atol": 1e-30}
R10 = {"range": [-10.0, 10.0]}
R1 = {"range": [-1.0, 1.0]}
problems = {}


def p(name, inputs, ops, shapes, domain=None, tol=None, outputs=("y",)):
    s = {"name": name, "inputs": {k: {"dtype": "float32", "shape": v}
                                  for k, v in inputs.items()},
         "ops": [{"op": o[0], "inputs": o[1], "output": o[2],
                  **({"attrs": o[3]} if len(o) > 3 else {})} for o in ops],
         "outputs": list(outputs),
         "domain": domain or {k: "all" for k in inputs},
         "shapes": shapes}
    if tol:
        s["tolerance"] = tol
    problems[name] = s


# Level 1: activations over [16, 16384] (KernelBench's batch 16, dim 16384).
act = [{"N": 67}, {"N": 16 * 16384}]
p("l1_relu", {"x": ["N"]}, [("relu", ["x"], "y")], act)
p("l1_leaky_relu", {"x": ["N"]},
  [("leaky_relu", ["x"], "y", {"negative_slope": 0.01})], act)
p("l1_sigmoid", {"x": ["N"]}, [("sigmoid", ["x"], "y")], act, {"x": R10}, TOL_T)
p("l1_tanh", {"x": ["N"]}, [("tanh", ["x"], "y")], act, {"x": R10}, TOL_T)
p("l1_hardtanh", {"x": ["N"]},
  [("hardtanh", ["x"], "y", {"min_val": -1.0, "max_val": 1.0})], act)
p("l1_hardsigmoid", {"x": ["N"]}, [("hardsigmoid", ["x"], "y")], act)
p("l1_softsign", {"x": ["N"]}, [("softsign", ["x"], "y")], act)
p("l1_elu", {"x": ["N"]}, [("elu", ["x"], "y", {"alpha": 1.0})], act,
  {"x": R10}, TOL_T)
p("l1_selu", {"x": ["N"]}, [("selu", ["x"], "y")], act, {"x": R10}, TOL_T)
p("l1_gelu", {"x": ["N"]}, [("gelu", ["x"], "y", {"approximate": "none"})],
  act, {"x": R10}, TOL_T)
p("l1_swish", {"x": ["N"]}, [("silu", ["x"], "y")], act, {"x": R10}, TOL_T)
p("l1_softplus", {"x": ["N"]},
  [("softplus", ["x"], "y", {"beta": 1.0, "threshold": 20.0})], act,
  {"x": R10}, TOL_T)
# Reductions, softmax, norms over [16, 16384] rows (dim 256x256 flattened).
rows = [{"M": 3, "N": 37}, {"M": 16, "N": 16384}]
p("l1_sum_dim", {"x": ["M", "N"]}, [("sum", ["x"], "y", {"dim": 1})], rows,
  {"x": R10}, TOL_SUM)
p("l1_mean_dim", {"x": ["M", "N"]}, [("mean", ["x"], "y", {"dim": 1})], rows,
  {"x": R10}, TOL_MEAN)
p("l1_max_dim", {"x": ["M", "N"]}, [("max", ["x"], "y", {"dim": 1})], rows,
  {"x": R10})
p("l1_softmax", {"x": ["M", "N"]}, [("softmax", ["x"], "y", {"dim": 1})],
  rows, {"x": R10}, TOL_T)
p("l1_log_softmax", {"x": ["M", "N"]},
  [("log_softmax", ["x"], "y", {"dim": 1})], rows, {"x": R10}, TOL_T)
p("l1_layer_norm", {"x": ["M", "N"]},
  [("layer_norm", ["x"], "y", {"normalized_ndim": 1, "eps": 1e-05})], rows,
  {"x": R10}, TOL_R)
p("l1_rms_norm", {"x": ["M", "N"], "w": ["N"]},
  [("rms_norm", ["x", "w"], "y", {"normalized_ndim": 1})], rows,
  {"x": R10, "w": {"range": [-2.0, 2.0]}}, TOL_R)
# Matmul variants (KernelBench: square 2048; 4096x4096 by 4096 in later
# versions; matrix-vector 256x131072).
p("l1_matmul_square", {"A": ["N", "N"], "B": ["N", "N"]},
  [("matmul", ["A", "B"], "y")], [{"N": 5}, {"N": 2048}], {"A": R1, "B": R1},
  TOL_R)
p("l1_matmul_rect", {"A": ["M", "K"], "B": ["K", "N"]},
  [("matmul", ["A", "B"], "y")], [{"M": 3, "K": 5, "N": 7},
                                  {"M": 1024, "K": 4096, "N": 2048}],
  {"A": R1, "B": R1}, TOL_R)
p("l1_matvec", {"A": ["M", "K"], "B": ["K", 1]},
  [("matmul", ["A", "B"], "y")], [{"M": 3, "K": 37}, {"M": 256, "K": 131072}],
  {"A": R1, "B": R1}, TOL_R)
p("l1_batched_matmul", {"A": ["P", "M", "K"], "B": ["P", "K", "N"]},
  [("matmul", ["A", "B"], "y")], [{"P": 2, "M": 3, "K": 5, "N": 4},
                                  {"P": 128, "M": 128, "K": 256, "N": 512}],
  {"A": R1, "B": R1}, TOL_R)
# Convolution and pooling.
p("l1_conv2d_3x3", {"x": [16, "C", "H", "W"], "w": ["O", "C", 3, 3]},
  [("conv2d", ["x", "w"], "y", {"padding": 1})],
  [{"C": 2, "H": 5, "W": 6, "O": 3}, {"C": 3, "H": 256, "W": 256, "O": 64}],
  {"x": R1, "w": R1}, TOL_R)
p("l1_avg_pool1d", {"x": [16, "C", "L"]},
  [("avg_pool1d", ["x"], "y", {"kernel_size": 4, "stride": 2})],
  [{"C": 2, "L": 37}, {"C": 32, "L": 128 * 1024}], {"x": R10}, TOL_R)
p("l1_max_pool2d", {"x": [16, "C", "H", "W"]},
  [("max_pool2d", ["x"], "y", {"kernel_size": 2})],
  [{"C": 2, "H": 6, "W": 10}, {"C": 32, "H": 128, "W": 128}])
# Level 2 chains.
p("l2_gemm_bias_gelu", {"x": ["B", "I"], "w": ["I", "O"], "b": ["O"]},
  [("matmul", ["x", "w"], "t"), ("add", ["t", "b"], "u"),
   ("gelu", ["u"], "y", {"approximate": "none"})],
  [{"B": 3, "I": 5, "O": 7}, {"B": 128, "I": 512, "O": 1024}],
  {"x": R1, "w": R1, "b": R1}, TOL_R)
p("l2_conv_relu_bias", {"x": [16, "C", "H", "W"], "w": ["O", "C", 3, 3],
                        "b": ["O", 1, 1]},
  [("conv2d", ["x", "w"], "t"), ("relu", ["t"], "u"), ("add", ["u", "b"], "y")],
  [{"C": 2, "H": 5, "W": 6, "O": 3}, {"C": 3, "H": 32, "W": 32, "O": 16}],
  {"x": R1, "w": R1, "b": R1}, TOL_R)
p("l2_matmul_softmax", {"x": ["B", "I"], "w": ["I", "O"]},
  [("matmul", ["x", "w"], "t"), ("softmax", ["t"], "y", {"dim": 1})],
  [{"B": 3, "I": 5, "O": 7}, {"B": 128, "I": 512, "O": 1024}],
  {"x": R1, "w": R1}, TOL_R)  # the softmax of a matmul: the matmul's tolerance
p("l2_scale_shift_hardtanh", {"x": ["N"], "a": [], "b": []},
  [("mul", ["x", "a"], "t"), ("add", ["t", "b"], "u"),
   ("hardtanh", ["u"], "y", {"min_val": -1.0, "max_val": 1.0})],
  [{"N": 67}, {"N": 128 * 16 * 32 * 32}])
p("l2_sub_tanh_sub", {"x": ["N"], "z": ["N"]},
  [("sub", ["x", "z"], "t"), ("tanh", ["t"], "u"), ("sub", ["u", 0.5], "y")],
  [{"N": 67}, {"N": 128 * 16 * 32 * 32}], {"x": R10, "z": R10}, TOL_T)

os.makedirs(OUT, exist_ok=True)
for name, s in problems.items():
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(s, f, indent=1)
        f.write("\n")
print(f"{len(problems)} problems written to {OUT}")
