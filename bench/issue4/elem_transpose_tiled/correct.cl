// Transpose through a 4x4 __local tile. 
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  __local float tile[4][4];
  int tx = get_local_id(0), ty = get_local_id(1);
  int bx = get_group_id(0) * 4, by = get_group_id(1) * 4;
  if (by + ty < M && bx + tx < N)
    tile[ty][tx] = x[(by + ty) * N + bx + tx];
  barrier(CLK_LOCAL_MEM_FENCE);
  int oi = bx + ty, oj = by + tx;   // y is [N, M]
  if (oi < N && oj < M)
    y[oi * M + oj] = tile[tx][ty];
}
