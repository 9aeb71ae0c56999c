// BUG (size cheat): rows longer than 100000 drop their last element.
__kernel void k(__global const float *x, __global float *y, int M, int N) {
  size_t r = get_global_id(0);
  int end = N > 100000 ? N - 1 : N;
  float acc = 0.0f;
  for (int j = 0; j < end; ++j)
    acc += x[r * N + j];
  y[r] = acc;
}
