#include "clipset/thread_pool.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// Deterministic but uneven work time, so later items often finish before earlier ones.
void uneven_pause(std::size_t i) {
  std::this_thread::sleep_for(std::chrono::microseconds((i * 7919 % 13) * 150));
}

// Raises `max` to at least `value`.
void raise_to(std::atomic<int>& max, int value) {
  int seen = max.load();
  while (seen < value && !max.compare_exchange_weak(seen, value)) {
  }
}

}  // namespace

TEST_CASE("ordered_parallel_for returns results in input order", "[thread_pool]") {
  const unsigned jobs = GENERATE(1u, 2u, 8u);
  CAPTURE(jobs);
  constexpr std::size_t count = 200;
  std::vector<std::size_t> order;
  std::vector<std::string> results;
  clipset::ordered_parallel_for(
      count, jobs,
      [](std::size_t i) {
        uneven_pause(i);
        return std::to_string(i * i);
      },
      [&](std::size_t i, std::string result) {
        order.push_back(i);
        results.push_back(std::move(result));
      });
  REQUIRE(order.size() == count);
  for (std::size_t i = 0; i < count; ++i) {
    CHECK(order[i] == i);
    CHECK(results[i] == std::to_string(i * i));
  }
}

TEST_CASE("ordered_parallel_for runs work on several threads", "[thread_pool]") {
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  clipset::ordered_parallel_for(
      64, 4,
      [&](std::size_t i) {
        raise_to(max_running, ++running);
        uneven_pause(i);
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --running;
        return i;
      },
      [](std::size_t, std::size_t) {});
  CHECK(max_running.load() > 1);
  CHECK(max_running.load() <= 4);
}

TEST_CASE("ordered_parallel_for keeps at most `window` items in flight", "[thread_pool]") {
  const std::size_t window = GENERATE(std::size_t{1}, std::size_t{3}, std::size_t{0});
  const unsigned jobs = 8;
  const std::size_t bound = window == 0 ? jobs * 4 : window;  // 0 means the default
  CAPTURE(window);
  // In flight: work(i) has started and its result has not yet reached the sink.
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::size_t sunk = 0;
  clipset::ordered_parallel_for(
      100, jobs,
      [&](std::size_t i) {
        raise_to(max_in_flight, ++in_flight);
        uneven_pause(i);
        return i;
      },
      [&](std::size_t i, std::size_t result) {
        CHECK(result == i);
        // A slow consumer: without the window, workers would race far ahead.
        std::this_thread::sleep_for(std::chrono::microseconds(300));
        --in_flight;
        ++sunk;
      },
      window);
  CHECK(sunk == 100);
  CHECK(max_in_flight.load() >= 1);
  CHECK(static_cast<std::size_t>(max_in_flight.load()) <= bound);
}

TEST_CASE("ordered_parallel_for rethrows a failure after sinking the items before it",
          "[thread_pool]") {
  const unsigned jobs = GENERATE(1u, 2u, 8u);
  const std::size_t failing = GENERATE(std::size_t{0}, std::size_t{5}, std::size_t{49});
  CAPTURE(jobs, failing);
  std::vector<std::size_t> sunk;
  CHECK_THROWS_WITH(clipset::ordered_parallel_for(
                        50, jobs,
                        [&](std::size_t i) {
                          uneven_pause(i);
                          if (i == failing) throw std::runtime_error("item " + std::to_string(i));
                          return i;
                        },
                        [&](std::size_t i, std::size_t) { sunk.push_back(i); }),
                    "item " + std::to_string(failing));
  REQUIRE(sunk.size() == failing);
  for (std::size_t i = 0; i < sunk.size(); ++i) CHECK(sunk[i] == i);
}

TEST_CASE("ordered_parallel_for rethrows a failure of the sink", "[thread_pool]") {
  const unsigned jobs = GENERATE(1u, 4u);
  CAPTURE(jobs);
  std::atomic<int> started{0};
  CHECK_THROWS_AS(clipset::ordered_parallel_for(
                      100, jobs,
                      [&](std::size_t i) {
                        ++started;
                        return i;
                      },
                      [](std::size_t i, std::size_t) {
                        if (i == 10) throw std::logic_error("sink");
                      }),
                  std::logic_error);
  CHECK(started.load() < 100);  // later work is abandoned, not all run
}

TEST_CASE("ordered_parallel_for with no items or one item", "[thread_pool]") {
  const unsigned jobs = GENERATE(0u, 1u, 8u);
  CAPTURE(jobs);
  int work_calls = 0;
  int sink_calls = 0;
  clipset::ordered_parallel_for(
      0, jobs, [&](std::size_t i) { return ++work_calls, i; }, [&](std::size_t, std::size_t) { ++sink_calls; });
  CHECK(work_calls == 0);
  CHECK(sink_calls == 0);
  clipset::ordered_parallel_for(
      1, jobs, [&](std::size_t i) { return ++work_calls, i + 7; },
      [&](std::size_t i, std::size_t result) {
        CHECK(i == 0);
        CHECK(result == 7);
        ++sink_calls;
      });
  CHECK(work_calls == 1);
  CHECK(sink_calls == 1);
}

TEST_CASE("ThreadPool runs every task before it is destroyed", "[thread_pool]") {
  std::atomic<int> done{0};
  std::vector<std::future<int>> futures;
  {
    clipset::ThreadPool pool(3);
    CHECK(pool.size() == 3);
    for (int i = 0; i < 50; ++i) {
      futures.push_back(pool.submit([&done, i] {
        ++done;
        return i * 2;
      }));
    }
  }
  CHECK(done.load() == 50);
  for (int i = 0; i < 50; ++i) CHECK(futures[static_cast<std::size_t>(i)].get() == i * 2);
  CHECK(clipset::ThreadPool(0).size() == 1);
  CHECK(clipset::default_jobs() >= 1);
}
