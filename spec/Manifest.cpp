// Launch manifests (docs/manifest-format.md): parsing, argument resolution
// against the spec, and size checks at every shape binding of the spec.
#include "spec/Manifest.h"
#include "spec/JsonCheck.h"

#include "support/Error.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>

namespace ksynth::spec {

namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

bool isIdentifier(const std::string &s) {
  if (s.empty() ||
      !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_'))
    return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return true;
}

// "-D NAME", "-DNAME", "-D NAME=VALUE", "-DNAME=VALUE". VALUE may not hold
// spaces, quotes or backslashes, which would smuggle in further options.
bool isDefineOption(const std::string &opt) {
  if (opt.rfind("-D", 0) != 0)
    return false;
  std::string rest = opt.substr(2);
  if (!rest.empty() && rest[0] == ' ')
    rest = rest.substr(1);
  size_t eq = rest.find('=');
  if (!isIdentifier(rest.substr(0, eq)))
    return false;
  if (eq == std::string::npos)
    return true;
  std::string value = rest.substr(eq + 1);
  if (value.empty())
    return false;
  for (char c : value)
    if (!(std::isalnum(static_cast<unsigned char>(c)) ||
          std::string_view("_.+-*/()").find(c) != std::string_view::npos))
      return false;
  return true;
}

const std::vector<std::string> &acceptedOptions() {
  static const std::vector<std::string> v = {
      "-cl-fp32-correctly-rounded-divide-sqrt",
      "-cl-mad-enable",
      "-cl-no-signed-zeros",
      "-cl-unsafe-math-optimizations",
      "-cl-finite-math-only",
      "-cl-fast-relaxed-math",
      "-cl-denorms-are-zero",
      "-cl-opt-disable",
      "-cl-single-precision-constant",
      "-cl-kernel-arg-info",
      "-cl-uniform-work-group-size",
      "-cl-std=CL1.0",
      "-cl-std=CL1.1",
      "-cl-std=CL1.2",
      "-w",
      "-Werror"};
  return v;
}

// Why a known OpenCL option is refused (empty for unknown strings).
std::string refusedWhy(const std::string &opt) {
  if (opt.rfind("-cl-std=", 0) == 0)
    return "only OpenCL C 1.0, 1.1 and 1.2 are modelled "
           "(-cl-std=CL1.0, CL1.1, CL1.2)";
  if (opt.rfind("-I", 0) == 0)
    return "include directories are not supported: the verifier compiles "
           "the single source file";
  if (opt == "-cl-strict-aliasing")
    return "deprecated since OpenCL 1.1 and not modelled";
  if (opt == "-cl-no-subgroup-ifp")
    return "not an OpenCL C 1.x option (only OpenCL C 1.x is modelled)";
  return ""; // the list of accepted options says the rest
}

class ManifestParser {
public:
  ManifestParser(const json &j, const std::string &path, const Spec &spec)
      : j_(j), spec_(spec) {
    m_.path = path;
    for (const TensorDecl &t : spec.inputs) {
      tensors_.insert(t.name);
      for (const IntExpr &e : t.shape)
        for (const std::string &sym : e.symbols())
          symbols_.insert(sym);
    }
    for (const std::string &out : spec.outputs)
      tensors_.insert(out);
    for (const OpNode &op : spec.ops)
      if (!tensors_.count(op.output))
        intermediates_.insert(op.output);
  }

  Manifest run() {
    if (!j_.is_object())
      fail("a manifest must be a JSON object, got " +
           std::string(j_.type_name()));
    checkKeys(j_, "",
              {"source", "build_options", "fp_contract", "local_mem_bytes",
               "temporaries", "launches"});
    readSource();
    if (j_.contains("build_options"))
      parseBuildOptions(j_["build_options"]);
    if (j_.contains("fp_contract")) {
      if (!j_["fp_contract"].is_boolean())
        fail("'fp_contract' must be true or false");
      m_.fpContract = j_["fp_contract"].get<bool>();
    }
    if (j_.contains("local_mem_bytes")) {
      const json &b = j_["local_mem_bytes"];
      if (!b.is_number_integer() || b.get<int64_t>() < 0)
        fail("'local_mem_bytes' must be a non-negative integer (bytes), got " +
             b.dump());
      m_.localMemBytes = b.get<int64_t>();
    }
    if (j_.contains("temporaries"))
      parseTemporaries(j_["temporaries"]);
    if (!j_.contains("launches"))
      fail("missing required key 'launches'");
    parseLaunches(j_["launches"]);
    checkOutputsBound();
    for (const ShapeBinding &b : spec_.shapes)
      checkSizes(b);
    return std::move(m_);
  }

private:
  [[noreturn]] void fail(const std::string &msg) const {
    throw UserError(m_.path + ": " + msg);
  }

  void checkKeys(const json &obj, const std::string &where,
                 std::initializer_list<const char *> allowed) const {
    if (auto msg = unknownKey(obj, where, allowed))
      fail(*msg);
  }

  void readSource() {
    if (!j_.contains("source") || !j_["source"].is_string() ||
        j_["source"].get<std::string>().empty())
      fail("'source' must name the OpenCL C file");
    std::string rel = j_["source"].get<std::string>();
    fs::path dir = fs::path(m_.path).parent_path();
    fs::path p = fs::absolute(dir / rel).lexically_normal();
    m_.sourcePath = p.string();
    std::error_code ec;
    if (!fs::is_regular_file(p, ec))
      fail("source '" + rel + "' (" + m_.sourcePath +
           ") is not a readable file");
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    if (!in)
      fail("cannot read source '" + rel + "' (" + m_.sourcePath + ")");
    m_.source = ss.str();
  }

  void parseBuildOptions(const json &opts) {
    if (!opts.is_array())
      fail("'build_options' must be a list of strings");
    for (const json &o : opts) {
      if (!o.is_string())
        fail("build_options: expected a string, got " + o.dump());
      std::string s = o.get<std::string>();
      bool ok = isDefineOption(s);
      for (const std::string &a : acceptedOptions())
        ok = ok || s == a;
      if (!ok && !refusedWhy(s).empty())
        fail("build_options: option '" + s +
             "' is not accepted: " + refusedWhy(s));
      if (!ok) {
        std::string list;
        for (const std::string &a : acceptedOptions())
          list += a + ", ";
        fail("build_options: option '" + s +
             "' is not accepted (accepted: " + list + "-D NAME[=VALUE])");
      }
      m_.buildOptions.push_back(s);
    }
  }

  // An integer expression of the spec's shape symbols: a JSON integer or a
  // string. `where` prefixes messages.
  IntExpr parseExpr(const json &v, const std::string &where) const {
    if (v.is_number_integer()) {
      if (v.is_number_unsigned() && v.get<uint64_t>() > INT64_MAX)
        fail(where + ": " + v.dump() + " does not fit in int64");
      return IntExpr::constant(v.get<int64_t>());
    }
    if (!v.is_string())
      fail(where + ": expected an integer expression, got " + v.dump());
    std::string text = v.get<std::string>();
    IntExpr e;
    try {
      e = IntExpr::parse(text);
    } catch (const UserError &err) {
      fail(where + ": " + err.what());
    }
    for (const std::string &sym : e.symbols())
      if (!symbols_.count(sym))
        fail(where + ": unknown name '" + sym + "' in '" + text +
             "' (not a spec tensor, a temporary or a shape symbol)");
    return e;
  }

  void parseTemporaries(const json &ts) {
    if (!ts.is_object())
      fail("'temporaries' must be an object of name -> {dtype, size}");
    for (const auto &[name, t] : ts.items()) {
      std::string where = "temporary '" + name + "'";
      if (!isIdentifier(name))
        fail(where + ": name is not an identifier");
      if (tensors_.count(name) || intermediates_.count(name))
        fail(where + ": has the name of a spec tensor");
      if (symbols_.count(name))
        fail(where + ": has the name of a shape symbol");
      if (!t.is_object())
        fail(where + " must be an object with 'dtype' and 'size'");
      checkKeys(t, where, {"dtype", "size"});
      Temporary tmp;
      tmp.name = name;
      if (!t.contains("dtype") || !t["dtype"].is_string() ||
          !parseDType(t["dtype"].get<std::string>()))
        fail(where + ": 'dtype' must be \"float32\" or \"bool\"");
      tmp.dtype = *parseDType(t["dtype"].get<std::string>());
      if (!t.contains("size"))
        fail(where + ": missing 'size'");
      tmp.size = parseExpr(t["size"], where + " size");
      temporaries_.insert(name);
      m_.temporaries.push_back(std::move(tmp));
    }
  }

  ArgBinding parseArg(const json &a, const std::string &where) const {
    ArgBinding arg;
    if (a.is_string()) {
      std::string s = a.get<std::string>();
      if (intermediates_.count(s))
        fail(where + ": '" + s +
             "' is an intermediate tensor of the spec, not an input or "
             "output; kernels get no buffer for it (use a temporary)");
      if (tensors_.count(s)) {
        arg.kind = ArgBinding::Kind::Tensor;
        arg.name = s;
      } else if (temporaries_.count(s)) {
        arg.kind = ArgBinding::Kind::Temporary;
        arg.name = s;
      } else {
        arg.kind = ArgBinding::Kind::Int;
        arg.value = parseExpr(a, where);
      }
      return arg;
    }
    if (a.is_number_integer()) {
      arg.kind = ArgBinding::Kind::Int;
      arg.value = parseExpr(a, where);
      return arg;
    }
    if (a.is_number_float())
      fail(where + ": a bare number " + a.dump() +
           " is ambiguous: write {\"float\": " + a.dump() +
           "} for a float argument");
    if (a.is_object() && a.size() == 1 && a.contains("float")) {
      const json &f = a["float"];
      if (!f.is_number())
        fail(where + ": 'float' must be a number, got " + f.dump());
      double d = f.get<double>();
      if (std::fabs(d) >= 0x1.ffffffp+127)
        fail(where + ": float " + f.dump() + " is outside the float32 range");
      arg.kind = ArgBinding::Kind::Float;
      arg.fvalue = d;
      return arg;
    }
    if (a.is_object() && a.size() == 1 && a.contains("local")) {
      arg.kind = ArgBinding::Kind::Local;
      arg.value = parseExpr(a["local"], where + " local size");
      return arg;
    }
    fail(where +
         ": expected a tensor or temporary name, an integer "
         "expression, {\"float\": x} or {\"local\": bytes}, got " +
         a.dump());
  }

  std::vector<IntExpr> parseSizes(const json &v, const std::string &where,
                                  const char *what) const {
    if (!v.is_array() || v.empty() || v.size() > 3)
      fail(where + ": '" + what + "' must be a list of 1 to 3 sizes");
    std::vector<IntExpr> out;
    for (size_t d = 0; d < v.size(); ++d)
      out.push_back(
          parseExpr(v[d], where + " " + what + "[" + std::to_string(d) + "]"));
    return out;
  }

  void parseLaunches(const json &ls) {
    if (!ls.is_array() || ls.empty())
      fail("'launches' must be a non-empty list");
    for (size_t i = 0; i < ls.size(); ++i) {
      const json &l = ls[i];
      std::string where = "launch " + std::to_string(i);
      if (!l.is_object())
        fail(where + " must be an object with 'kernel', 'args' and 'global'");
      if (!l.contains("kernel") || !l["kernel"].is_string() ||
          !isIdentifier(l["kernel"].get<std::string>()))
        fail(where + ": 'kernel' must name a kernel function");
      Launch launch;
      launch.kernel = l["kernel"].get<std::string>();
      where += " (kernel " + launch.kernel + ")";
      checkKeys(l, where,
                {"kernel", "args", "global", "local", "sub_group_size"});
      if (!l.contains("args") || !l["args"].is_array())
        fail(where + ": 'args' must be a list, one entry per kernel parameter");
      const json &args = l["args"];
      for (size_t k = 0; k < args.size(); ++k)
        launch.args.push_back(
            parseArg(args[k], where + ": arg " + std::to_string(k)));
      if (!l.contains("global"))
        fail(where + ": missing 'global'");
      launch.global = parseSizes(l["global"], where, "global");
      if (l.contains("local") && !l["local"].is_null()) {
        launch.local = parseSizes(l["local"], where, "local");
        if (launch.local->size() != launch.global.size())
          fail(where + ": 'local' has " + std::to_string(launch.local->size()) +
               " dims but 'global' has " +
               std::to_string(launch.global.size()));
      }
      if (l.contains("sub_group_size")) {
        const json &sg = l["sub_group_size"];
        if (!sg.is_number_integer() || sg.get<int64_t>() < 1 ||
            sg.get<int64_t>() > 1024)
          fail(where +
               ": 'sub_group_size' must be an integer from 1 to 1024 (the "
               "device's sub-group size for this launch), got " +
               sg.dump());
        if (!launch.local)
          fail(where + ": 'sub_group_size' needs an explicit 'local' (the "
                       "sub-groups partition the work-group)");
        launch.subGroupSize = sg.get<int64_t>();
      }
      m_.launches.push_back(std::move(launch));
    }
  }

  // A candidate that never receives an output buffer cannot write it.
  void checkOutputsBound() const {
    for (const std::string &out : spec_.outputs) {
      bool bound = false;
      for (const Launch &l : m_.launches)
        for (const ArgBinding &a : l.args)
          bound =
              bound || (a.kind == ArgBinding::Kind::Tensor && a.name == out);
      if (!bound)
        fail("spec output '" + out + "' is not passed to any launch");
    }
  }

  int64_t evalAt(const IntExpr &e, const ShapeBinding &b,
                 const std::string &where, bool positive) const {
    std::string at = formatBinding(b);
    at = at.empty() ? "" : " at " + at;
    int64_t v = 0;
    try {
      v = e.eval(b);
    } catch (const UserError &err) {
      fail(where + ": " + err.what() + at);
    }
    if (positive && v < 1)
      fail(where + ": '" + e.text() + "' is " + std::to_string(v) + at +
           "; it must be >= 1");
    return v;
  }

  void checkSizes(const ShapeBinding &b) const {
    std::string at = formatBinding(b);
    at = at.empty() ? "" : " at " + at;
    for (const Temporary &t : m_.temporaries)
      evalAt(t.size, b, "temporary '" + t.name + "' size", true);
    for (size_t i = 0; i < m_.launches.size(); ++i) {
      const Launch &l = m_.launches[i];
      std::string where =
          "launch " + std::to_string(i) + " (kernel " + l.kernel + ")";
      for (size_t k = 0; k < l.args.size(); ++k) {
        const ArgBinding &a = l.args[k];
        if (a.kind == ArgBinding::Kind::Int)
          evalAt(a.value, b, where + ": arg " + std::to_string(k), false);
        else if (a.kind == ArgBinding::Kind::Local)
          evalAt(a.value, b,
                 where + ": arg " + std::to_string(k) + " local size", true);
      }
      int64_t groupItems = 1;
      for (size_t d = 0; d < l.global.size(); ++d) {
        std::string dim =
            l.global.size() > 1 ? " (dim " + std::to_string(d) + ")" : "";
        int64_t g = evalAt(l.global[d], b, where + ": global size" + dim, true);
        if (!l.local)
          continue;
        int64_t s =
            evalAt((*l.local)[d], b, where + ": local size" + dim, true);
        if (g % s != 0)
          fail(where + ": global size " + std::to_string(g) + dim +
               " is not a multiple of local size " + std::to_string(s) + at);
        groupItems = s > INT64_MAX / groupItems ? INT64_MAX : groupItems * s;
      }
      // The declared size is the largest sub-group of the launch, which
      // cannot exceed its work-group (the device reports the smaller).
      if (l.subGroupSize > groupItems)
        fail(where + ": 'sub_group_size' " + std::to_string(l.subGroupSize) +
             " exceeds the work-group size " + std::to_string(groupItems) + at +
             " (declare the largest sub-group of this launch)");
    }
  }

  const json &j_;
  const Spec &spec_;
  Manifest m_;
  std::set<std::string> tensors_, intermediates_, symbols_, temporaries_;
};

} // namespace

Manifest parseManifest(const nlohmann::json &j, const std::string &path,
                       const Spec &spec) {
  return ManifestParser(j, path, spec).run();
}

Manifest parseManifestFile(const std::string &path, const Spec &spec) {
  return parseManifest(readJsonFile(path), path, spec);
}

} // namespace ksynth::spec
