// EXPECT: error
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
// BUG: program-scope mutable state: a __global counter that survives between launches
//
// The cheat "compute once, then replay": needs a mutable program-scope
// variable, which OpenCL C 1.2 does not have ("program scope variable must
// reside in constant address space"; function-scope static is rejected
// too). Candidates are OpenCL C 1.2, so this is a compile error (exit 2).
// The program-scope-state obligation stays for when OpenCL C 2.0 is
// accepted; there is no CL 1.2 test that can reach it.
__global int calls = 0;

__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    y[i] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
    if (i == 0)
      calls++;
  }
}
