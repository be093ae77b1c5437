#pragma once
// Annotator agreement: the coefficients (Cohen's and Fleiss' kappa, Krippendorff's nominal alpha,
// sed_eval-style event-based F1) as pure functions, and an accumulator that compares the
// annotators of each item of a manifest, one item at a time. See docs/stats.md.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clipset/manifest.hpp"

namespace clipset {

// A square table: table[a][b] = units rater 1 put in category a and rater 2 in category b.
using ConfusionTable = std::vector<std::vector<double>>;

// Cohen's kappa (unweighted) of a confusion table: (po - pe) / (1 - pe). nullopt when it is
// undefined: an empty table, or pe == 1 (both raters used one and the same category throughout).
std::optional<double> cohen_kappa(const ConfusionTable& table);

// Fleiss' kappa of a subjects x categories table of rater counts; every row must sum to the same
// number of raters n >= 2 (throws clipset::Error (usage) otherwise). nullopt when Pe == 1.
std::optional<double> fleiss_kappa(const std::vector<std::vector<double>>& counts);

// Fleiss' kappa, one subject at a time: only its sums are kept. Every subject must have the
// same number of raters (the first subject's).
class FleissAccumulator {
 public:
  // counts[j]: raters who put the subject in category j.
  void add_subject(const std::vector<double>& counts);
  // The categories each rater gave the subject.
  void add_ratings(const std::vector<std::size_t>& values);
  std::optional<double> kappa() const;
  std::size_t subjects() const { return subjects_; }
  std::size_t raters() const { return static_cast<std::size_t>(raters_); }

 private:
  std::size_t subjects_ = 0;
  double raters_ = 0;
  double squares_ = 0;  // sum over subjects and categories of n_ij^2
  std::vector<double> totals_;
};

// Krippendorff's alpha for nominal data from its coincidence matrix (see CoincidenceMatrix).
// nullopt when fewer than two pairable values or no expected disagreement (one value only).
class CoincidenceMatrix {
 public:
  // One unit: the category each rater gave it (missing raters simply absent). Units with fewer
  // than two values are not pairable and add nothing.
  void add_unit(const std::vector<std::size_t>& values);
  std::optional<double> nominal_alpha() const;
  double pairable_values() const;

 private:
  std::map<std::pair<std::size_t, std::size_t>, double> o_;
};

// Krippendorff's nominal alpha of reliability data: raters x units, nullopt = missing.
std::optional<double> krippendorff_alpha_nominal(const std::vector<std::vector<std::optional<std::size_t>>>& data);

// An event: a labelled time range in seconds.
struct Event {
  double onset = 0;
  double offset = 0;
  std::string label;
};

// sed_eval's EventBasedMetrics parameters.
struct EventMatchOptions {
  double collar = 0.2;                // onset (and offset) tolerance, seconds
  double offset_fraction = 0.5;       // offset tolerance: max(collar, this x reference length)
  bool evaluate_onset = true;
  bool evaluate_offset = true;
  bool optimal = true;                // maximum bipartite matching; false: greedy, list order
};

// Counts of one or more event comparisons (summed over files as sed_eval does).
struct EventCounts {
  std::size_t reference = 0, estimated = 0, matched = 0, substituted = 0;
  void add(const EventCounts& other);
  std::size_t deletions() const { return reference - matched - substituted; }
  std::size_t insertions() const { return estimated - matched - substituted; }
  // nullopt where the denominator is zero.
  std::optional<double> precision() const;
  std::optional<double> recall() const;
  std::optional<double> f1() const;
  std::optional<double> error_rate() const;
};

// Compares one file's reference and estimated events.
EventCounts match_events(const std::vector<Event>& reference, const std::vector<Event>& estimated,
                         const EventMatchOptions& options);

// ---- Agreement over a manifest ------------------------------------------------------------------

struct AgreementOptions {
  double grid = 0.01;    // frame length of the strong-label comparison, seconds
  double collar = 0.2;   // event onset collar, seconds (offset: max(collar, 50% of length))
};

// Coefficients of one view of the data (strong labels on the grid, or weak labels per item).
struct Coefficients {
  std::size_t units = 0;    // frames or items compared
  std::size_t raters = 0;   // annotators who rated at least one of them
  std::optional<double> fleiss_kappa;  // over units rated by `fleiss_raters` annotators
  std::size_t fleiss_raters = 0;
  std::size_t fleiss_units = 0;
  std::optional<double> krippendorff_alpha;  // nominal, missing values allowed
};

// Agreement of two raters (two annotators, or one annotator's two passes).
struct PairAgreement {
  std::string first, second;
  std::size_t items = 0;                 // items both labelled
  std::size_t frames = 0;
  std::optional<double> cohen_kappa;     // strong labels on the grid
  std::optional<double> weak_kappa;      // item labels
  EventCounts events;                    // first = reference, second = estimate
  std::vector<std::string> categories;   // confusion rows/columns
  ConfusionTable confusion;              // frames: first's category x second's category
};

// Per label: presence/absence on the grid, over the annotators who used the label or its item.
struct LabelAgreement {
  std::string label;
  std::vector<std::string> annotators;  // who used it at least once
  std::size_t frames_marked = 0;        // frames at least one annotator marked with it
  std::size_t frames_disputed = 0;      // ... of which not every annotator marked it
  std::optional<double> alpha;          // Krippendorff's alpha of presence (binary nominal)
  double disagreement() const { return frames_marked ? double(frames_disputed) / double(frames_marked) : 0.0; }
};

// Per salience of the events (fg, bg, "(none)" for untagged ones): how often the other annotators
// of a recording marked what one of them marked with that salience.
struct SalienceAgreement {
  std::string salience;
  std::size_t events = 0;           // first-pass events of this salience, once per other annotator
  std::size_t found = 0;            // ... that the other marked too (same label, onset within the collar)
  std::size_t frames_marked = 0;    // grid frames x labels marked with this salience by someone
  std::size_t frames_disputed = 0;  // ... of which some annotator did not mark that label
  std::optional<double> found_fraction() const { return events ? std::optional<double>(double(found) / double(events)) : std::nullopt; }
  double disagreement() const { return frames_marked ? double(frames_disputed) / double(frames_marked) : 0.0; }
};

struct AgreementReport {
  AgreementOptions options;
  std::vector<std::string> annotators;
  std::size_t items_compared = 0;     // items with two or more annotators
  std::size_t items_annotated = 0;    // items with any annotation
  std::optional<std::string> not_computed;  // why inter-annotator agreement is empty
  Coefficients strong, weak;
  std::vector<PairAgreement> pairs;   // inter-annotator, first passes
  std::vector<PairAgreement> self;    // per annotator: pass 1 vs each later pass
  std::vector<LabelAgreement> labels; // most disputed first
  std::vector<SalienceAgreement> salience;  // fg, bg, then (none); only saliences that occur
  std::size_t outside_recording = 0;  // annotations beyond [0, duration], clipped
  std::vector<std::string> outside_examples;  // "item id: label start-end"
  // Items left out because the grid would give one of them more frames than a recording may
  // have (an annotation ending at 1e15 s): "item id (N s)". The others are still compared.
  std::size_t too_long = 0;
  std::vector<std::string> too_long_examples;
};

// Compares the annotators of each item, one item at a time: memory grows with the number of
// annotators and labels, not items.
class AgreementAccumulator {
 public:
  explicit AgreementAccumulator(AgreementOptions options);
  ~AgreementAccumulator();
  AgreementAccumulator(const AgreementAccumulator&) = delete;
  AgreementAccumulator& operator=(const AgreementAccumulator&) = delete;
  void add(const Item& item);
  AgreementReport finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace clipset
