#include "clipset/item_keys.hpp"

namespace clipset {

std::string GroupKey::text() const {
  const char* field = basis == GroupBasis::group ? "group=" : basis == GroupBasis::source ? "source.id=" : "id=";
  return field + std::string(value);
}

const std::string* explicit_group(const Item& item) {
  return item.group && !item.group->empty() ? &*item.group : nullptr;
}

GroupKey group_key(const Item& item) {
  if (const std::string* group = explicit_group(item)) return {GroupBasis::group, *group};
  if (item.source && !item.source->id.empty()) return {GroupBasis::source, item.source->id};
  return {GroupBasis::item, item.id};
}

RecordingRef recording_of(const Item& item) {
  if (item.source && !item.source->id.empty()) {
    return {item.source->id, item.source->path, item.source->sha256 ? std::string_view(*item.source->sha256) : std::string_view()};
  }
  return {item.id, item.path ? std::string_view(*item.path) : std::string_view(),
          item.sha256 ? std::string_view(*item.sha256) : std::string_view()};
}

std::optional<std::string> group_value(const Json* value) {
  if (value == nullptr || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty())) {
    return std::nullopt;
  }
  return field_key(*value);
}

const std::string* DuplicateMarker::mark(Item& item) {
  item.duplicate_of.reset();
  if (!item.sha256) return nullptr;
  const auto [it, inserted] = first_id_by_sha_.emplace(*item.sha256, item.id);
  if (inserted) return nullptr;
  item.duplicate_of = it->second;
  return &it->second;
}

std::string rejection_line(const Rejection& rejection) {
  Json record = Json::object();
  record["path"] = rejection.path;
  record["reason"] = rejection.reason;
  return record.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace clipset
