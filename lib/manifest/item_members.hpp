#pragma once
// The rules that turn one top-level member of a manifest record into an Item field, shared by
// item_from_json (nlohmann) and the On Demand line decoder, so both readers give one meaning and
// one message per field.

#include <cstdint>
#include <string>

#include "clipset/manifest.hpp"

namespace clipset {

// Sets the field `key` of item from value (an unknown key goes to item.extra). A later member
// with the same key replaces an earlier one, as in a parsed JSON object. Throws clipset::Error
// (data, empty subject) naming the field.
void set_item_member(Item& item, const std::string& key, const Json& value);
// Throws for a manifest_version this clipset cannot read.
void check_manifest_version(std::int64_t version);
// Throws when the record had no id or an empty one.
void check_item_id(const Item& item, bool has_id);

}  // namespace clipset
