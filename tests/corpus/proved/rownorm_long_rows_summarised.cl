// EXPECT: proved
// SPEC: ../specs/rownorm_l1_long.json
// MANIFEST: {"launches":[{"kernel":"rownorm","args":["x","y","M","N"],"global":["M"]}]}
//
// L1 norm of rows of 2^16 with the loop summarised: the update
// acc + fabs(x[k]) (through a row pointer, so the read index is spelled
// differently from the reference's r*n + k) is the reference's norm fold
// at every k.
__kernel void rownorm(__global const float *x, __global float *y,
                      const int m, const int n) {
  size_t r = get_global_id(0);
  __global const float *row = x + r * n;
  float acc = 0.0f;
  for (int j = 0; j < n; ++j)
    acc += fabs(row[j]);
  y[r] = acc;
}
