// The ops as a Boost.Graph DAG: an edge i -> j when op j reads the tensor
// op i writes. Cycle detection (naming the ops and tensors on the cycle)
// and a stable topological order: among the ops whose operands are ready,
// the one listed first in the file comes first, so a spec already in
// dependency order keeps its order.
#include "spec/Spec.h"

#include "support/Error.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <functional>
#include <queue>

namespace ksynth::spec {

namespace {

using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

Graph buildGraph(const Spec &s) {
  std::map<std::string, size_t> producer;
  for (size_t i = 0; i < s.ops.size(); ++i)
    producer.emplace(s.ops[i].output, i); // the parser rejects duplicates
  Graph g(s.ops.size());
  for (size_t j = 0; j < s.ops.size(); ++j)
    for (const Operand &x : s.ops[j].inputs)
      if (const auto *name = std::get_if<std::string>(&x)) {
        auto it = producer.find(*name);
        if (it != producer.end())
          boost::add_edge(it->second, j, g);
      }
  return g;
}

struct CycleFound {
  std::vector<Vertex> cycle; // v0 -> v1 -> ... -> v0
};

// Records DFS tree parents; on the first back edge u -> v, v is an
// ancestor of u and the tree path v ... u plus the edge closes a cycle.
class CycleVisitor : public boost::default_dfs_visitor {
public:
  explicit CycleVisitor(std::vector<Vertex> &parent) : parent_(&parent) {}
  void tree_edge(Edge e, const Graph &g) {
    (*parent_)[boost::target(e, g)] = boost::source(e, g);
  }
  void back_edge(Edge e, const Graph &g) {
    Vertex u = boost::source(e, g), v = boost::target(e, g);
    std::vector<Vertex> path{u};
    while (path.back() != v)
      path.push_back((*parent_)[path.back()]);
    CycleFound c;
    c.cycle.assign(path.rbegin(), path.rend()); // v ... u
    c.cycle.push_back(v);
    throw c;
  }

private:
  std::vector<Vertex> *parent_;
};

std::string opLabel(const OpNode &op) {
  return "op " + std::to_string(op.line) + " (" + op.op + ")";
}

[[noreturn]] void reportCycle(const Spec &s, const std::vector<Vertex> &c) {
  // "op 0 (add) -> 'a' -> op 1 (mul) -> 'b' -> op 0 (add)"
  std::string path = opLabel(s.ops[c[0]]);
  for (size_t k = 0; k + 1 < c.size(); ++k)
    path += " -> '" + s.ops[c[k]].output + "' -> " + opLabel(s.ops[c[k + 1]]);
  throw UserError(s.path + ": the ops form a cycle through tensor '" +
                  s.ops[c[0]].output + "': " + path);
}

} // namespace

std::vector<const OpNode *> topoOrder(const Spec &s) {
  Graph g = buildGraph(s);
  size_t n = boost::num_vertices(g);

  std::vector<Vertex> parent(n);
  std::vector<boost::default_color_type> color(n);
  try {
    boost::depth_first_search(
        g, boost::visitor(CycleVisitor(parent))
               .color_map(boost::make_iterator_property_map(
                   color.begin(), boost::get(boost::vertex_index, g))));
  } catch (const CycleFound &c) {
    reportCycle(s, c.cycle);
  }

  // Kahn's algorithm, smallest file index first.
  std::vector<size_t> indeg(n);
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t v = 0; v < n; ++v) {
    indeg[v] = boost::in_degree(v, g);
    if (indeg[v] == 0)
      ready.push(v);
  }
  std::vector<const OpNode *> order;
  while (!ready.empty()) {
    size_t v = ready.top();
    ready.pop();
    order.push_back(&s.ops[v]);
    for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
      size_t w = boost::target(*e, g);
      if (--indeg[w] == 0)
        ready.push(w);
    }
  }
  if (order.size() != n)
    KSYNTH_UNREACHABLE("topoOrder: DFS found no cycle but Kahn did");
  return order;
}

} // namespace ksynth::spec
