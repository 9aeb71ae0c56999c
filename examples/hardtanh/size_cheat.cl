// The size cheat: correct HardTanh up to 100000 elements, zeros above.
// A proof at small listed shapes (spec.json: N = 67 and 64) cannot see it;
// spec_deploy.json lists the deployment shape N = 16777216, verified by one
// arbitrary symbolic work-item, which refutes it (x = 2: expected 1, got 0).
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    if (n > 100000)
      y[i] = 0.0f;
    else
      y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
