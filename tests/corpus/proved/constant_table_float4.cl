// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// hardtanh with its bounds in a __constant float4 table (lane 0 of each float4), read at a
// data-dependent index (the sign of v picks the bound): the table becomes a
// read-only region of its scalar elements. (A __constant float table used
// to crash ksynth with SIGSEGV.)
__constant float4 lim[2] = {(float4)(-1.0f, -9.0f, -9.0f, -9.0f), (float4)(1.0f, 9.0f, 9.0f, 9.0f)};

__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    int k = v > 0.0f;
    float b = lim[k].s0;
    y[i] = k ? (v > b ? b : v) : (v < b ? b : v);
  }
}
