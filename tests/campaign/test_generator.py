#!/usr/bin/env python3
"""Checks of the campaign's generator (no ksynth needed): each mutation
operator produces the mutants it promises on known kernels, mutants are
deduplicated and compile, and generation is deterministic for a seed."""

import argparse
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign  # noqa: E402
import forms  # noqa: E402
import mutate  # noqa: E402
import seeds  # noqa: E402

RELU = """__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < 0.0f ? 0.0f : fabs(v);
  }
}
"""

TREE = """__kernel void s(__global const float *x, __global float *y, __local float *l) {
  int t = get_local_id(0);
  l[t] = x[get_global_id(0)];
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int k = 32; k > 0; k >>= 1) {
    if (t < k) l[t] += l[t + k];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (t == 0) y[get_group_id(0)] = l[0];
}
"""


def descs(src, op):
    return [d for o, d, _ in mutate.mutants(src) if o == op]


def texts(src, op):
    return [t for o, _, t in mutate.mutants(src) if o == op]


class Operators(unittest.TestCase):
    def test_bits_sign_tests(self):
        t = texts(RELU, "bits")
        for want in ("(as_int(v) < 0)", "(signbit(v))", "((as_uint(v) >> 31))",
                     "(as_uint(v) > 0x80000000u)"):
            self.assertTrue(any(want + " ? 0.0f" in x for x in t), want)
        self.assertTrue(any("as_float(as_uint(v) & 0x7fffffffu)" in x for x in t))

    def test_compare_binop_const(self):
        self.assertEqual(len(descs(RELU, "compare")), 10)  # i < n and v < 0
        c = texts(RELU, "const")
        self.assertTrue(any("v < -0.0f" in x for x in c))
        self.assertTrue(any("? -0.0f :" in x for x in c))
        self.assertTrue(any("v < 1e-45f" in x for x in c))
        self.assertTrue(any("l[t] -= l[t + k]" in x for x in texts(TREE, "binop")))

    def test_index_guard(self):
        t = texts(RELU, "index")
        self.assertIn(RELU.replace("x[i]", "x[(i)+1]"), t)
        self.assertIn(RELU.replace("y[i]", "y[n-1]"), t)
        g = texts(RELU, "guard")
        self.assertIn(RELU.replace("if (i < n)", "if (1)"), g)

    def test_barrier_loop(self):
        b = texts(TREE, "barrier")
        self.assertTrue(any(x.count("barrier(") == 1 for x in b))
        self.assertTrue(any("l[t] = x[get_global_id(0)]; barrier" not in x and x.count("barrier(") == 2 for x in b))
        lp = texts(TREE, "loop")
        self.assertIn(TREE.replace("k > 0;", "k > (0)-1;"), lp)
        self.assertIn(TREE.replace("k >>= 1)", "k >>= (1)+1)"), lp)

    def test_float_literals(self):
        self.assertEqual(mutate.float_literal(mutate.next_ulp(1.0, False)), "0.99999994f")
        self.assertEqual(mutate.float_literal(mutate.next_ulp(0.0, True)), "1e-45f")
        self.assertEqual(mutate.float_literal(0.01), "0.01f")


class Generation(unittest.TestCase):
    def args(self, seed):
        return argparse.Namespace(seed=seed, mutants=25, forms=15, only_elementwise=True,
                                  seed_filter=None, include_forms=r"relu_nozs/f5_if",
                                  max_shapes=2, clang=campaign.shutil.which("clang-15"))

    def test_deterministic_unique(self):
        a = campaign.generate(self.args(7))
        b = campaign.generate(self.args(7))
        self.assertEqual([c.source for c in a], [c.source for c in b])
        self.assertEqual(len(a), 40)
        keys = [campaign.code_key(c.source, c.spec) for c in a]
        self.assertEqual(len(keys), len(set(keys)))
        self.assertIn("relu_nozs/f5_if", [c.desc for c in a])
        # every operator but barrier (elementwise seeds have no barriers)
        self.assertEqual({c.kind for c in a if c.kind != "form"}, set(mutate.OPERATORS) - {"barrier"})
        c = campaign.generate(self.args(8))
        self.assertNotEqual([x.source for x in a], [x.source for x in c])

    def test_shapes_small(self):
        s = {"inputs": {"x": {"dtype": "float32", "shape": ["M", "N"]}},
             "shapes": [{"M": 4194307, "N": 7}]}
        self.assertEqual(seeds.small_shapes(s), [{"M": 67, "N": 7}])
        s["shapes"] = [{"M": 3, "N": 4}, {"M": 8192, "N": 131072}]
        self.assertEqual(seeds.small_shapes(s), [{"M": 3, "N": 4}])

    def test_forms_compile(self):
        cc = campaign.Compiler(campaign.shutil.which("clang-15"))
        pool = forms.all_kernels(campaign.random.Random(1))
        self.assertGreater(len(pool), 500)
        bad = [n for n, _, m, src in pool[::25] if not cc.ok(src, m)]
        # a few formulas do not type-check as float4 (filtered at generation)
        self.assertLess(len(bad), len(pool[::25]) // 3, bad)


if __name__ == "__main__":
    unittest.main()
