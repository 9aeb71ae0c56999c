// mask = x > t (bool: one byte per element, 0 or 1) and
// y = where(mask, x, 0). A scalar comparison in OpenCL C yields int 1/0, so
// (uchar)c stores exactly 0 or 1. NaN > t and x > NaN are false: mask 0,
// y = +0 (the literal 0 of the spec).
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
