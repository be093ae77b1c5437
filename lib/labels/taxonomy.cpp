// Taxonomies: a plain label list, "parent/child" paths, or the AudioSet ontology JSON.

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "clipset/error.hpp"
#include "clipset/text.hpp"
#include "clipset/taxonomy.hpp"

namespace clipset {

namespace {

using Json = nlohmann::json;

// The content lines of a text taxonomy: (line number, trimmed text), comments and blanks left out.
std::vector<std::pair<std::size_t, std::string>> content_lines(std::string_view text) {
  std::vector<std::pair<std::size_t, std::string>> lines;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view raw = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    const auto line = trim(raw);
    if (!line.empty() && line.front() != '#') lines.emplace_back(number, std::string(line));
  }
  return lines;
}

std::size_t add_node(Taxonomy& t, std::string name, std::string id) {
  t.nodes.push_back({std::move(name), std::move(id), {}, {}});
  const std::size_t n = t.nodes.size() - 1;
  t.by_label.try_emplace(t.nodes[n].name, n);
  t.by_label.try_emplace(t.nodes[n].id, n);
  t.by_lower_name.try_emplace(to_lower(t.nodes[n].name), n);
  return n;
}

void link(Taxonomy& t, std::size_t parent, std::size_t child) {
  for (const auto p : t.nodes[child].parents) {
    if (p == parent) return;
  }
  t.nodes[child].parents.push_back(parent);
  t.nodes[parent].children.push_back(child);
}

// Each path prefix is a node, named by its last component and identified by the whole prefix
// (so a line of n parts holds n prefixes: the depth is capped, or a hostile line would need memory
// quadratic in its length).
void parse_paths(Taxonomy& t, const std::vector<std::pair<std::size_t, std::string>>& lines, const std::string& name) {
  std::map<std::string, std::size_t> by_path;
  for (const auto& [number, line] : lines) {
    const auto depth = static_cast<std::size_t>(std::count(line.begin(), line.end(), '/')) + 1;
    if (depth > kMaxTaxonomyPathDepth) {
      throw_usage(name + ":" + std::to_string(number),
                  std::to_string(depth) + " levels, more than the " + std::to_string(kMaxTaxonomyPathDepth) + " a path may have");
    }
    std::optional<std::size_t> parent;
    std::string path;
    std::string_view rest = line;
    while (true) {
      const auto slash = rest.find('/');
      const auto part = trim(rest.substr(0, slash));
      if (part.empty()) throw_usage(name + ":" + std::to_string(number), "empty label in '" + line + "'");
      path += (path.empty() ? "" : "/") + std::string(part);
      auto [it, inserted] = by_path.try_emplace(path, 0);
      if (inserted) it->second = add_node(t, std::string(part), path);
      if (parent) link(t, *parent, it->second);
      parent = it->second;
      if (slash == std::string_view::npos) break;
      rest.remove_prefix(slash + 1);
    }
  }
}

void parse_audioset(Taxonomy& t, std::string_view text, const std::string& name) {
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw_usage(name, std::string("not valid JSON (") + e.what() + ")");
  } catch (const Json::out_of_range& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'": a number no double holds.
    const std::string what = e.what();
    const auto bracket = what.find("] ");
    throw_usage(name, "a number out of range (" + (bracket == std::string::npos ? what : what.substr(bracket + 2)) + ")");
  }
  if (!doc.is_array()) throw_usage(name, "expected a JSON list of {id, name, child_ids} objects (the AudioSet ontology)");
  std::vector<std::vector<std::string>> child_ids;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const Json& entry = doc[i];
    const std::string where = name + ": entry " + std::to_string(i + 1);
    if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string() || !entry.contains("name") ||
        !entry["name"].is_string()) {
      throw_usage(where, "needs a string 'id' and a string 'name'");
    }
    std::vector<std::string> children;
    if (entry.contains("child_ids")) {
      if (!entry["child_ids"].is_array()) throw_usage(where, "'child_ids' must be a list of ids");
      for (const auto& c : entry["child_ids"]) {
        if (!c.is_string()) throw_usage(where, "'child_ids' must be a list of ids");
        children.push_back(c.get<std::string>());
      }
    }
    add_node(t, entry["name"].get<std::string>(), entry["id"].get<std::string>());
    child_ids.push_back(std::move(children));
  }
  std::map<std::string, std::size_t> by_id;
  for (std::size_t n = 0; n < t.nodes.size(); ++n) by_id.try_emplace(t.nodes[n].id, n);
  for (std::size_t n = 0; n < t.nodes.size(); ++n) {
    for (const auto& id : child_ids[n]) {
      const auto it = by_id.find(id);
      if (it == by_id.end()) throw_usage(name + ": " + t.nodes[n].id, "child id '" + id + "' is not in the ontology");
      link(t, n, it->second);
    }
  }
}

}  // namespace

std::optional<std::size_t> Taxonomy::find(std::string_view label) const {
  const auto it = by_label.find(label);
  if (it == by_label.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Taxonomy::find_ignoring_case(std::string_view label) const {
  const auto it = by_lower_name.find(to_lower(label));
  if (it == by_lower_name.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> Taxonomy::find_near(std::string_view label) const {
  if (const auto same = find_ignoring_case(label)) return same;
  const std::string lower = to_lower(label);
  const std::size_t limit = lower.size() <= 4 ? 1 : 2;
  std::optional<std::size_t> best;
  std::size_t best_distance = limit + 1;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::string name = to_lower(nodes[i].name);
    // Names whose lengths differ by more than the limit cannot be that near.
    if (name.size() + limit < lower.size() || lower.size() + limit < name.size()) continue;
    const std::size_t d = edit_distance(lower, name);
    if (d < best_distance) {
      best = i;
      best_distance = d;
    }
  }
  return best;
}

bool Taxonomy::is_ancestor(std::size_t ancestor, std::size_t node) const {
  // Depth-first over parents; a visited set guards against cycles in a hand-made graph.
  std::vector<std::size_t> stack(nodes[node].parents);
  std::vector<bool> seen(nodes.size(), false);
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    if (n == ancestor) return true;
    if (seen[n]) continue;
    seen[n] = true;
    stack.insert(stack.end(), nodes[n].parents.begin(), nodes[n].parents.end());
  }
  return false;
}

TaxonomyRollup::TaxonomyRollup(const Taxonomy& taxonomy, std::size_t level) : taxonomy_(&taxonomy), level_(level) {
  if (level == 0 || level > kMaxLevel) throw_usage("", "a taxonomy level between 1 and " + std::to_string(kMaxLevel));
  // Depths grow by one along an edge; after `level` rounds every depth up to it has arrived.
  const std::uint64_t keep = level == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << level) - 1;
  const auto& nodes = taxonomy.nodes;
  depths_.assign(nodes.size(), 0);
  for (std::size_t n = 0; n < nodes.size(); ++n)
    if (nodes[n].parents.empty()) depths_[n] = 1;
  for (std::size_t round = 1; round < level; ++round) {
    bool changed = false;
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      std::uint64_t mask = depths_[n];
      for (const auto p : nodes[n].parents) mask |= (depths_[p] << 1) & keep;
      changed = changed || mask != depths_[n];
      depths_[n] = mask;
    }
    if (!changed) break;
  }
  // Which nodes some root reaches at all (at any depth): the others count as themselves.
  reachable_.assign(nodes.size(), false);
  std::vector<std::size_t> stack;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    if (!nodes[n].parents.empty()) continue;
    reachable_[n] = true;
    stack.push_back(n);
  }
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    for (const auto c : nodes[n].children) {
      if (reachable_[c]) continue;
      reachable_[c] = true;
      stack.push_back(c);
    }
  }
}

std::vector<std::size_t> TaxonomyRollup::ancestors(std::size_t node) const {
  const auto& nodes = taxonomy_->nodes;
  if (node >= nodes.size()) return {};
  const std::uint64_t at_level = std::uint64_t{1} << (level_ - 1);
  std::set<std::size_t> found;
  // Shallower than the level on some path, or on none at all: the node counts as itself.
  if ((depths_[node] & (at_level - 1)) != 0 || !reachable_[node]) found.insert(node);
  // Every ancestor-or-self that some root path reaches at exactly the level.
  std::vector<bool> seen(nodes.size(), false);
  std::vector<std::size_t> stack{node};
  seen[node] = true;
  while (!stack.empty()) {
    const std::size_t n = stack.back();
    stack.pop_back();
    if ((depths_[n] & at_level) != 0) found.insert(n);
    for (const auto p : nodes[n].parents) {
      if (seen[p]) continue;
      seen[p] = true;
      stack.push_back(p);
    }
  }
  return {found.begin(), found.end()};
}

std::vector<std::string> TaxonomyRollup::roll_up(const std::string& label) const {
  const auto node = taxonomy_->find(label);
  if (!node) return {label};
  std::vector<std::string> names;
  for (const auto n : ancestors(*node)) names.push_back(taxonomy_->nodes[n].name);
  return names;
}

Taxonomy parse_taxonomy(std::string_view text, const std::string& name) {
  Taxonomy t;
  const auto body = trim(text);
  if (!body.empty() && (body.front() == '[' || body.front() == '{')) {
    t.format = Taxonomy::Format::audioset;
    parse_audioset(t, body, name);
    return t;
  }
  const auto lines = content_lines(text);
  const bool paths = std::any_of(lines.begin(), lines.end(), [](const auto& l) { return l.second.find('/') != std::string::npos; });
  if (paths) {
    t.format = Taxonomy::Format::paths;
    parse_paths(t, lines, name);
  } else {
    for (const auto& [number, line] : lines) {
      if (t.by_label.count(line) == 0) add_node(t, line, line);
    }
  }
  return t;
}

Taxonomy read_taxonomy(const std::string& file) {
  std::error_code ec;
  if (std::filesystem::is_directory(file, ec)) throw_io(file, "is a directory");  // else read as empty
  std::ifstream in(file, std::ios::binary);
  if (!in) throw_io(file, errno_reason(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw_io(file, "read error");
  return parse_taxonomy(text.str(), file);
}

}  // namespace clipset
