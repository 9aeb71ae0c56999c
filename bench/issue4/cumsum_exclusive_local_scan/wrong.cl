// Exclusive scan: one work-group of 16 per row; the row shifted by one is
// scanned inclusively in __local memory (Hillis-Steele), BUG (missing barrier): no barrier between reading buf[l - off]
// and writing buf[l], so a neighbour may already have added.
__kernel void k(__global const float *x, __global float *y, int N) {
  __local float buf[16];
  int r = get_group_id(0), l = get_local_id(0);
  buf[l] = (l > 0 && l - 1 < N) ? x[r * N + l - 1] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int off = 1; off < 16; off <<= 1) {
    float t = l >= off ? buf[l - off] : 0.0f;
    buf[l] += t;
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (l < N)
    y[r * N + l] = buf[l];
}
