// EXPECT: proved
// SPEC: ../specs/mse_loss_4m.json
// MANIFEST: {"launches":[{"kernel":"mse","args":["x","t","y","N"],"global":["N"]}]}
//
// Squared error without reduction at N = 2^22 + 3 over every float32 input
// (NaN, infinities, -0): one arbitrary work-item. The reference element
// at the store's index reads input and target there (the two operands of
// the tensor op) and squares their difference, as the kernel does: the
// same term (level structural). A loss without reduction needs no
// tolerance.
__kernel void mse(__global const float *x, __global const float *t,
                  __global float *y, const int n) {
  int i = get_global_id(0);
  if (i >= n)
    return;
  float d = x[i] - t[i];
  y[i] = d * d;
}
