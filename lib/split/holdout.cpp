// --holdout FIELD OP VALUE:SPLIT: groups matching a rule go to its split before anything else is
// dealt (a new device, a later month: drift and adversarial test sets).

#include <charconv>
#include <cmath>
#include <optional>

#include "clipset/error.hpp"
#include "clipset/split.hpp"
#include "clipset/text.hpp"

namespace clipset {

namespace {

constexpr const char* kExpected =
    "expected FIELD OP VALUE:SPLIT, e.g. meta.device=iphone-12:test or meta.recorded_at>=2026-06-01:test "
    "(OP is one of = != < <= > >=)";

// The whole text as a finite number (from_chars: no locale), or nothing.
std::optional<double> as_number(std::string_view text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) return std::nullopt;
  return value;
}

bool valid_field_path(std::string_view field) {
  if (field.empty()) return false;
  std::size_t begin = 0;
  for (;;) {
    const auto dot = field.find('.', begin);
    if ((dot == std::string_view::npos ? field.size() : dot) == begin) return false;  // an empty part
    if (dot == std::string_view::npos) return true;
    begin = dot + 1;
  }
}

template <class T>
bool compare(HoldoutRule::Op op, const T& a, const T& b) {
  switch (op) {
    case HoldoutRule::Op::eq: return a == b;
    case HoldoutRule::Op::ne: return a != b;
    case HoldoutRule::Op::lt: return a < b;
    case HoldoutRule::Op::le: return a <= b;
    case HoldoutRule::Op::gt: return a > b;
    case HoldoutRule::Op::ge: return a >= b;
  }
  return false;
}

// One scalar value against the rule (a list is handled by the caller).
bool scalar_matches(const HoldoutRule& rule, HoldoutRule::Op op, const Json& value) {
  if (value.is_null()) return false;
  const auto wanted = as_number(rule.value);
  if (wanted) {
    std::optional<double> have;
    if (value.is_number()) have = value.get<double>();
    else if (value.is_string()) have = as_number(value.get_ref<const std::string&>());
    if (have) return compare(op, *have, *wanted);
  }
  return compare(op, field_key(value), rule.value);
}

}  // namespace

HoldoutRule parse_holdout(std::string_view text) {
  HoldoutRule rule;
  rule.text = std::string(text);
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) throw_option("holdouts", rule.text, std::string("no ':SPLIT' at the end; ") + kExpected);
  rule.split = std::string(trim(text.substr(colon + 1)));
  if (rule.split.empty()) throw_option("holdouts", rule.text, std::string("the split name after ':' is empty; ") + kExpected);
  const std::string_view expr = text.substr(0, colon);
  const auto at = expr.find_first_of("=!<>");
  if (at == std::string_view::npos) throw_option("holdouts", rule.text, std::string("no operator; ") + kExpected);
  std::size_t op_size = 1;
  const char c = expr[at];
  const char next = at + 1 < expr.size() ? expr[at + 1] : '\0';
  if (c == '!' && next == '=') { rule.op = HoldoutRule::Op::ne; op_size = 2; }
  else if (c == '!') throw_option("holdouts", rule.text, std::string("'!' must be followed by '='; ") + kExpected);
  else if (c == '<' && next == '=') { rule.op = HoldoutRule::Op::le; op_size = 2; }
  else if (c == '>' && next == '=') { rule.op = HoldoutRule::Op::ge; op_size = 2; }
  else if (c == '=' && next == '=') { rule.op = HoldoutRule::Op::eq; op_size = 2; }
  else if (c == '<') rule.op = HoldoutRule::Op::lt;
  else if (c == '>') rule.op = HoldoutRule::Op::gt;
  else rule.op = HoldoutRule::Op::eq;
  rule.field = std::string(trim(expr.substr(0, at)));
  rule.value = std::string(trim(expr.substr(at + op_size)));
  if (!valid_field_path(rule.field)) {
    throw_option("holdouts", rule.text, "'" + rule.field + "' is not a field name such as meta.device; " + kExpected);
  }
  return rule;
}

bool holdout_matches(const HoldoutRule& rule, const Json& record) {
  return holdout_value_matches(rule, find_field(record, rule.field));
}

bool holdout_value_matches(const HoldoutRule& rule, const Json* value) {
  if (value == nullptr || value->is_null()) return false;
  if (!value->is_array()) return scalar_matches(rule, rule.op, *value);
  if (rule.op == HoldoutRule::Op::ne) {
    // "labels!=dog": items that do not carry dog (an empty list included).
    for (const auto& element : *value) {
      if (scalar_matches(rule, HoldoutRule::Op::eq, element)) return false;
    }
    return true;
  }
  for (const auto& element : *value) {
    if (scalar_matches(rule, rule.op, element)) return true;
  }
  return false;
}

}  // namespace clipset
