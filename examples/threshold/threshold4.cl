// The same with four elements per work-item and a scalar tail. A vector
// comparison yields -1 (all bits set) per true lane, so the mask is negated
// to 1 before converting to uchar: convert_uchar4(v > t) alone would store
// 0xFF, which is not a valid bool. select() keeps v where the lane's MSB is
// set and gives +0 elsewhere.
__kernel void threshold4(__global const float *x, const float t,
                         __global float *y, __global uchar *mask,
                         const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    int4 c = v > (float4)(t);
    vstore4(convert_uchar4(-c), g, mask);
    vstore4(select((float4)(0.0f), v, c), g, y);
  } else {
    for (int j = i; j < n; ++j) {
      float v = x[j];
      int c = v > t;
      mask[j] = (uchar)c;
      y[j] = c ? v : 0.0f;
    }
  }
}
