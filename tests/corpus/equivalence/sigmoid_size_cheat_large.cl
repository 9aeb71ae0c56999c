// EXPECT: refuted
// OBLIGATION: equivalence
// SHAPE: {"N": 16777216}
// SPEC: ../specs/sigmoid_16m.json
// MANIFEST: {"launches":[{"kernel":"sigmoid","args":["x","y","N"],"global":["N"]}]}
// BUG: size cheat: x / 2 instead of sigmoid above 100000 elements
// LOCATION: 18:19
//
// Refuted at N = 2^24 by concrete hunting at one arbitrary work-item:
// x[0] = 0 (sparse inputs, every other element 0) gives 0 where every
// value the reference's exp allows gives 0.5; the reference interpreter
// confirms 0.5.
__kernel void sigmoid(__global const float *x, __global float *y,
                      const int n) {
  int i = get_global_id(0);
  if (i < n) {
    if (n > 100000)
      y[i] = x[i] * 0.5f;
    else
      y[i] = 1.0f / (1.0f + exp(-x[i]));
  }
}
