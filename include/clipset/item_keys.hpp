#pragma once
// The keys that tie items together, one rule each; every subcommand asks here instead of
// reading `group`, `source` and `id` its own way. See docs/manifest.md, "Groups".

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "clipset/manifest.hpp"

namespace clipset {

// What an item's leakage unit was taken from.
enum class GroupBasis { group, source, item };

// The leakage unit: items with one key must land in one split. It is the item's `group` when it
// has a non-empty one, else the recording it was cut from (`source.id`, when non-empty), else the
// item itself. An empty string is no value: `"group": ""` is the same as no `group`.
struct GroupKey {
  GroupBasis basis = GroupBasis::item;
  std::string_view value;  // points into the item: valid while it lives
  // "group=r1", "source.id=dog__a.wav", "id=x": a key that never confuses a group named like an id.
  std::string text() const;
};
GroupKey group_key(const Item& item);

// The recording an item's audio comes from: the source it was cut from (a clip with a non-empty
// source.id), else the item itself. Views into the item: valid while it lives; a missing path or
// sha256 is empty.
struct RecordingRef {
  std::string_view id;
  std::string_view path;
  std::string_view sha256;
};
RecordingRef recording_of(const Item& item);

// The field `clipset dups` writes on every item: the id of the first recording of its cluster of
// near-duplicates (its own recording's id when it has none). Items sharing a value hold the same
// sound, so `split --group-by group,near-dup` keeps them on one side (docs/dups.md).
inline constexpr const char* kNearDupField = "near_dup";
// The name a person gives that field on the command line (`split --group-by group,near-dup`).
inline constexpr const char* kNearDupName = "near-dup";

// The item's own non-empty `group`, or nullptr.
const std::string* explicit_group(const Item& item);

// A field's value as a group name: nullopt when it is missing, null or "" (no value); strings as
// they are, anything else as JSON text.
std::optional<std::string> group_value(const Json* value);

// Items with the same content: the first (in manifest order) of each sha256 is the original, a
// later one is marked `duplicate_of` it. ingest marks its items so; merge marks the items of
// ingest's shards so, since the first item with some content may be in another shard.
class DuplicateMarker {
 public:
  // Sets or clears item.duplicate_of; returns the id of the earlier item it duplicates, if any.
  const std::string* mark(Item& item);

 private:
  std::unordered_map<std::string, std::string> first_id_by_sha_;
};

// A file or item that a subcommand rejected, and why: one record of a --rejects file.
struct Rejection {
  std::string path;
  std::string reason;
};
// {"path": ..., "reason": ...} on one line, no newline; invalid UTF-8 becomes U+FFFD.
std::string rejection_line(const Rejection& rejection);

}  // namespace clipset
