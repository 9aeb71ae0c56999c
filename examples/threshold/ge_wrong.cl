// Off-by-equality: uses >= where the spec says >. Wrong exactly when
// x == t: e.g. x = t = 1 gives mask 1 (reference 0) and y = 1
// (reference 0).
__kernel void threshold(__global const float *x, const float t,
                        __global float *y, __global uchar *mask,
                        const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    int c = v >= t;
    mask[i] = (uchar)c;
    y[i] = c ? v : 0.0f;
  }
}
