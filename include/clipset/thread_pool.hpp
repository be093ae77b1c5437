#pragma once
// Parallel work whose results come back in input order, so output is identical whatever --jobs is.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace clipset {

// Number of hardware threads (at least 1): the default for --jobs.
unsigned default_jobs();

// A fixed set of worker threads taking tasks from one queue.
class ThreadPool {
 public:
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();  // finishes queued tasks, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const noexcept { return static_cast<unsigned>(workers_.size()); }

  template <class F>
  auto submit(F&& task) -> std::future<std::invoke_result_t<std::decay_t<F>>> {
    using R = std::invoke_result_t<std::decay_t<F>>;
    auto packaged = std::make_shared<std::packaged_task<R()>>(std::forward<F>(task));
    auto future = packaged->get_future();
    enqueue([packaged] { (*packaged)(); });
    return future;
  }

 private:
  void enqueue(std::function<void()> task);
  void work();

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable ready_;
  bool stopping_ = false;
};

// Runs work(i) for i in [0, count) on `jobs` threads and calls sink(i, result) on the calling
// thread in increasing i. At most `window` results are in flight (bounded memory). An exception
// thrown by work(i) is rethrown from this call when i's turn comes; later work is abandoned.
// With jobs <= 1 everything runs inline on the calling thread.
template <class Work, class Sink>
void ordered_parallel_for(std::size_t count, unsigned jobs, Work&& work, Sink&& sink,
                          std::size_t window = 0) {
  using R = std::invoke_result_t<Work&, std::size_t>;
  if (jobs <= 1 || count <= 1) {
    for (std::size_t i = 0; i < count; ++i) sink(i, work(i));
    return;
  }
  if (window == 0) window = static_cast<std::size_t>(jobs) * 4;
  ThreadPool pool(jobs);
  std::deque<std::future<R>> in_flight;
  std::size_t next = 0;
  auto launch = [&] {
    while (next < count && in_flight.size() < window) {
      const std::size_t i = next++;
      in_flight.push_back(pool.submit([&work, i] { return work(i); }));
    }
  };
  launch();
  try {
    for (std::size_t i = 0; i < count; ++i) {
      std::future<R> front = std::move(in_flight.front());
      in_flight.pop_front();
      sink(i, front.get());
      launch();  // after the sink, so at most `window` results exist at once
    }
  } catch (...) {
    // Wait for what is running (it references `work`), then report the first failure.
    for (auto& f : in_flight) f.wait();
    throw;
  }
}

}  // namespace clipset
