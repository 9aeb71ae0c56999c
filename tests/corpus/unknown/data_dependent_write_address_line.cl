// EXPECT: unknown
// UNKNOWN_KIND: unsupported
// REASON: data_dependent_write_address_line.cl:15:10: data-dependent address of a write
// SPEC: ../specs/hardtanh.json
// MANIFEST: {"launches":[{"kernel":"hardtanh","args":["x","y","N"],"global":["N"]}]}
//
// A store whose address depends on the data, with work-items enumerated:
// not modelled, and the reason gives the store's line in the source.
__kernel void hardtanh(__global const float *x, __global float *y,
                       const int n) {
  int i = get_global_id(0);
  if (i < n) {
    float v = x[i];
    int j = v > 0.0f ? i : n - 1 - i;
    y[j] = v < -1.0f ? -1.0f : (v > 1.0f ? 1.0f : v);
  }
}
