#pragma once
// A fixed set of worker threads taking tasks from one queue.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace omni {

class ThreadPool {
  public:
    // 0 threads means one per hardware thread.
    explicit ThreadPool(std::size_t threads = 0);
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;
    // Finishes every queued task, then joins.
    ~ThreadPool();

    std::size_t size() const { return workers_.size(); }

    // The future carries the task's result or the exception it threw.
    template <class F>
    auto submit(F&& task) -> std::future<std::invoke_result_t<F>> {
        using R = std::invoke_result_t<F>;
        auto packaged = std::make_shared<std::packaged_task<R()>>(std::forward<F>(task));
        auto future = packaged->get_future();
        enqueue([packaged] { (*packaged)(); });
        return future;
    }

    // Blocks until the queue is empty and no task is running.
    void wait_idle();

  private:
    void enqueue(std::function<void()> job);
    void work();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::function<void()>> queue_;
    std::size_t running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace omni
