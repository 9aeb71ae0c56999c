// EXPECT: proved
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"stage4","args":["x","y","N",{"local":"16*16"}],"global":["roundup((N+3)/4, 16)"],"local":[16]}]}
//
// float4 loads and stores on __local memory, and the barrier inside a
// helper function (called from two places in the kernel, so the two calls
// are different barriers). Each work-item moves 4 elements; the block of
// 16 float4s is reversed through __local memory, then read back mirrored.
void sync(void) { barrier(CLK_LOCAL_MEM_FENCE); }

float4 clamp4(float4 v) {
  return (float4)(v.x < -1.0f ? -1.0f : (v.x > 1.0f ? 1.0f : v.x),
                  v.y < -1.0f ? -1.0f : (v.y > 1.0f ? 1.0f : v.y),
                  v.z < -1.0f ? -1.0f : (v.z > 1.0f ? 1.0f : v.z),
                  v.w < -1.0f ? -1.0f : (v.w > 1.0f ? 1.0f : v.w));
}

__kernel void stage4(__global const float *x, __global float *y, const int n,
                     __local float4 *tile) {
  int lid = get_local_id(0);
  int i = get_global_id(0) * 4;
  float4 v = (float4)(0.0f);
  if (i + 3 < n)
    v = vload4(0, x + i);
  else
    for (int k = 0; k < 4; ++k)
      if (i + k < n)
        ((float *)&v)[k] = x[i + k];
  tile[15 - lid] = v;
  sync();
  float4 w = tile[15 - lid];
  sync();
  tile[lid] = clamp4(w);
  if (i + 3 < n) {
    vstore4(tile[lid], 0, y + i);
  } else {
    for (int k = 0; k < 4; ++k)
      if (i + k < n)
        y[i + k] = ((__local float *)&tile[lid])[k];
  }
}
