// Inference batch norm, one work-item per element of [N, C, L]. 
__kernel void k(__global const float *x, __global const float *rm,
                __global const float *rv, __global const float *w,
                __global const float *b, __global float *y, int C, int L) {
  int i = get_global_id(0);
  int c = (i / L) % C;
  float invstd = 1.0f / sqrt(rv[c] + 1e-5f);
  float alpha = invstd * w[c];
  float beta = b[c] - rm[c] * alpha;
  y[i] = x[i] * alpha + beta;
}
