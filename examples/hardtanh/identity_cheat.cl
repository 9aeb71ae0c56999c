// The identity cheat: an "optimized" HardTanh that returns its input.
// It passes tests whose inputs lie in [-1, 1] (torch.rand draws [0, 1)),
// but is wrong for every |x| > 1: x = 2 gives 2 where HardTanh gives 1.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n)
    y[i] = x[i];
}
