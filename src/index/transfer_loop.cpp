#include "index/transfer_loop.hpp"

#include <future>

#include "omni/index/progress.hpp"

namespace omni::index_detail {

struct TransferLoop::Job {
    EasyHandle easy;
    std::uint64_t max_body = 0;
    TransferResult result;
    IndexMeter* meter = nullptr;
    std::promise<void> done;
};

namespace {

size_t write_body(char* data, size_t size, size_t count, void* user) {
    auto* job = static_cast<TransferLoop::Job*>(user);
    const size_t n = size * count;
    if (job->result.body.empty() && job->max_body != 0) {
        // A declared length over the cap ends the transfer before any body
        // is kept; one within it is reserved once.
        curl_off_t declared = -1;
        curl_easy_getinfo(job->easy.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &declared);
        if (declared > 0 && static_cast<std::uint64_t>(declared) > job->max_body) {
            job->result.over_cap = true;
            return 0;
        }
        if (declared > 0)
            job->result.body.reserve(static_cast<std::size_t>(declared));
    }
    if (job->max_body != 0 && job->result.body.size() + n > job->max_body) {
        job->result.over_cap = true;
        return 0;  // ends the transfer with CURLE_WRITE_ERROR
    }
    job->result.body.append(data, n);
    if (job->meter != nullptr)
        job->meter->bytes_received(n);
    return n;
}

}  // namespace

TransferLoop::TransferLoop(std::shared_ptr<IndexMeter> meter)
    : meter_(std::move(meter)), multi_(make_multi()) {
    curl_multi_setopt(multi_.get(), CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(multi_.get(), CURLMOPT_MAX_HOST_CONNECTIONS, 16L);
    thread_ = std::thread([this] { run(); });
}

TransferLoop::~TransferLoop() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    curl_multi_wakeup(multi_.get());
    thread_.join();
}

TransferResult TransferLoop::perform(EasyHandle easy, std::uint64_t max_body) {
    Job job;
    job.easy = std::move(easy);
    job.max_body = max_body;
    job.meter = meter_.get();
    curl_easy_setopt(job.easy.get(), CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(job.easy.get(), CURLOPT_WRITEDATA, &job);
    curl_easy_setopt(job.easy.get(), CURLOPT_HEADERFUNCTION, header_callback);
    curl_easy_setopt(job.easy.get(), CURLOPT_HEADERDATA, &job.result.headers);
    curl_easy_setopt(job.easy.get(), CURLOPT_PRIVATE, &job);
    auto finished = job.done.get_future();
    {
        const std::lock_guard lock(mutex_);
        if (stopping_) {
            job.result.code = CURLE_ABORTED_BY_CALLBACK;
            return std::move(job.result);
        }
        incoming_.push_back(&job);
    }
    if (meter_)
        meter_->request_started();
    curl_multi_wakeup(multi_.get());
    finished.wait();
    if (meter_)
        meter_->request_finished();
    return std::move(job.result);
}

void TransferLoop::run() {
    std::size_t active = 0;
    while (true) {
        {
            const std::lock_guard lock(mutex_);
            if (stopping_)
                break;
            while (!incoming_.empty()) {
                Job* job = incoming_.front();
                incoming_.pop_front();
                curl_multi_add_handle(multi_.get(), job->easy.get());
                ++active;
            }
        }
        int still = 0;
        curl_multi_perform(multi_.get(), &still);
        int left = 0;
        while (CURLMsg* msg = curl_multi_info_read(multi_.get(), &left)) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            Job* job = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &job);
            job->result.code = msg->data.result;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &job->result.status);
            char* effective = nullptr;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_EFFECTIVE_URL, &effective);
            if (effective != nullptr)
                job->result.effective_url = effective;
            curl_multi_remove_handle(multi_.get(), msg->easy_handle);
            --active;
            job->done.set_value();
        }
        curl_multi_poll(multi_.get(), nullptr, 0, active > 0 ? 100 : 1000, nullptr);
    }
    // Stopping: whatever still runs ends as aborted.
    std::deque<Job*> leftover;
    {
        const std::lock_guard lock(mutex_);
        leftover.swap(incoming_);
    }
    for (Job* job : leftover) {
        job->result.code = CURLE_ABORTED_BY_CALLBACK;
        job->done.set_value();
    }
}

}  // namespace omni::index_detail
