// Sigmoid, four elements per work-item: vload4/vstore4 body (exp and the
// division applied lane by lane) and a scalar loop for the n % 4 tail,
// global size ceil(n / 4).
__kernel void sigmoid4(__global const float *x, __global float *y,
                       const int n) {
  int g = get_global_id(0);
  int i = g * 4;
  if (i + 4 <= n) {
    float4 v = vload4(g, x);
    vstore4(1.0f / (1.0f + exp(-v)), g, y);
  } else {
    for (int j = i; j < n; ++j)
      y[j] = 1.0f / (1.0f + exp(-x[j]));
  }
}
