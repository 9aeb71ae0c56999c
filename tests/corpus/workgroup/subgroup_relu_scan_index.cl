// EXPECT: proved
// SPEC: ../specs/relu.json
// MANIFEST: {"launches":[{"kernel":"relu","args":["x","y","N"],"global":["roundup(N, 24)"],"local":[24],"sub_group_size":16}]}
//
// Work-groups of 24 in sub-groups of 16 and 8 (the last one smaller). The
// element index is built from integer collectives, each of which must be
// exact: a broadcast base, an exclusive scan of ones (the sub-group local
// id), reduce/scan/any/all as guards that always hold.
#pragma OPENCL EXTENSION cl_khr_subgroups : enable
__kernel void relu(__global const float *x, __global float *y, const int n) {
  uint sg = get_sub_group_id(), sl = get_sub_group_local_id();
  uint size = get_sub_group_size();
  uint first = (uint)get_group_id(0) * (uint)get_local_size(0) +
               sg * get_max_sub_group_size() + sl;
  uint base = sub_group_broadcast(first, 0);
  uint off = sub_group_scan_exclusive_add(1u);
  uint count = sub_group_reduce_add(1u);
  int lo = sub_group_reduce_min((int)sl - 3);
  int hi = sub_group_scan_inclusive_max((int)sl);
  long top = sub_group_reduce_max((long)sl);
  uint none = sub_group_scan_exclusive_max(sl);
  int below = sub_group_scan_exclusive_min((int)sl);
  bool ok = count == size && lo == -3 && hi == (int)sl &&
            top == (long)(size - 1) && none == (sl == 0 ? 0 : sl - 1) && below == (sl == 0 ? INT_MAX : 0) &&
            sub_group_all(sl < size) && !sub_group_any(sl >= size) &&
            get_num_sub_groups() == 2 && get_enqueued_num_sub_groups() == 2;
  int i = base + off;
  if (ok && i < n) {
    float v = x[i];
    y[i] = v < 0.0f ? 0.0f : v;
  }
}
