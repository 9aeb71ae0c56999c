// Matrix-vector product, one work-item per row. BUG (off-by-one): drops the last term.
__kernel void k(__global const float *A, __global const float *v,
                __global float *y, int K) {
  int i = get_global_id(0);
  float acc = 0.0f;
  for (int p = 0; p < K - 1; ++p)
    acc += A[i * K + p] * v[p];
  y[i] = acc;
}
