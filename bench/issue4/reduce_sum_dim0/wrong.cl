// BUG (wrong reduction dim): indexes x as if it were [N, M] (column stride
// M instead of N), so it sums a strided run of the flat array, not column j.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  int j = get_global_id(0);
  float acc = 0.0f;
  for (int i = 0; i < M; ++i)
    acc += x[j * M + i];
  y[j] = acc;
}
