// EXPECT: proved
// SPEC: ../specs/threshold.json
// MANIFEST: {"launches":[{"kernel":"threshold","args":["x","t","y","mask","N"],"global":["N"]}]}
//
// Bool output stored one byte per element (0 or 1) plus where(mask, x, 0).
// Scalar comparisons give int 1/0; NaN compares false (mask 0, y = +0).
__kernel void threshold(__global const float *x, const float t,
                        __global float *y, __global uchar *mask,
                        const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    int c = v > t;
    mask[i] = (uchar)c;
    y[i] = c ? v : 0.0f;
  }
}
