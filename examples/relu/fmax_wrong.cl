// The textbook ReLU fmax(v, 0). Wrong: OpenCL's fmax returns the other
// operand when one is NaN, so fmax(NaN, 0) = 0 where PyTorch's relu gives
// NaN. (fmax(-0, 0) may also return +0 where PyTorch keeps -0.)
__kernel void relu(__global const float *x, __global float *y, const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = fmax(x[i], 0.0f);
}
