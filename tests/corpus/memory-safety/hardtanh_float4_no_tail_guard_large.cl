// EXPECT: refuted
// OBLIGATION: memory-safety
// SPEC: ../specs/hardtanh_large_odd.json
// MANIFEST: {"launches":[{"kernel":"hardtanh4","args":["x","y","N"],"global":["(N+3)/4"]}]}
// SHAPE: {"N": 1000003}
// BUG: float4 body without a tail guard: the last work-item reads and writes past n
//
// N = 1000003 is not a multiple of 4: work-item 250000 loads x[1000000..1000003]
// of a 1000003-element buffer. Found by one arbitrary symbolic work-item.
__kernel void hardtanh4(__global const float *x, __global float *y,
                        const int n) {
  int g = get_global_id(0);
  float4 v = vload4(g, x);
  float4 r = select(v, (float4)(-1.0f), v < (float4)(-1.0f));
  r = select(r, (float4)(1.0f), r > (float4)(1.0f));
  vstore4(r, g, y);
}
