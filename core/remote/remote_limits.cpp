#include "remote/remote_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <thread>

namespace wb::remote {

namespace {
// How often waits look at the cancellation check: short enough that a cancelled run stops at
// once, long enough to cost nothing.
constexpr auto kPoll = std::chrono::milliseconds(20);
} // namespace

bool sleepUntil(Clock::time_point deadline, const StopCheck &stop)
{
    for (;;) {
        if (stop && stop())
            return false;
        const auto now = Clock::now();
        if (now >= deadline)
            return true;
        std::this_thread::sleep_for(std::min<Clock::duration>(deadline - now, kPoll));
    }
}

bool ConcurrencySlots::acquire(const StopCheck &stop)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
        if (m_used < m_limit) {
            ++m_used;
            return true;
        }
        // The check may take other locks (the caller's); never call it holding ours.
        lock.unlock();
        if (stop && stop())
            return false;
        lock.lock();
        m_cv.wait_for(lock, kPoll, [&] { return m_used < m_limit; });
    }
}

void ConcurrencySlots::release()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        --m_used;
    }
    m_cv.notify_one();
}

int ConcurrencySlots::inUse() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_used;
}

bool RateLimiter::acquire(const StopCheck &stop)
{
    if (m_rpm <= 0)
        return !(stop && stop());
    const auto interval =
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(60.0 / m_rpm));
    Clock::time_point start;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto now = Clock::now();
        start = m_next && *m_next > now ? *m_next : now;
        m_next = start + interval;
    }
    if (sleepUntil(start, stop))
        return true;
    // Give the slot back when nobody reserved after us; otherwise later callers keep theirs.
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_next && *m_next == start + interval)
        m_next = start;
    return false;
}

double backoffSeconds(int retry, std::optional<double> retryAfter, std::mt19937_64 &rng)
{
    if (retryAfter) {
        std::uniform_real_distribution<double> jitter(0.0, 0.1);
        return *retryAfter + jitter(rng);
    }
    const double base = std::min(30.0, 0.5 * std::pow(2.0, std::clamp(retry, 0, 16)));
    std::uniform_real_distribution<double> jitter(0.0, 0.25 * base);
    return base + jitter(rng);
}

std::optional<double> parseRetryAfter(const std::string &value)
{
    const char *begin = value.c_str();
    while (*begin == ' ' || *begin == '\t')
        ++begin;
    if (!*begin)
        return std::nullopt;
    char *end = nullptr;
    const double seconds = std::strtod(begin, &end);
    while (end && (*end == ' ' || *end == '\t'))
        ++end;
    if (end == begin || (end && *end) || !std::isfinite(seconds) || seconds < 0)
        return std::nullopt;
    return std::min(seconds, 300.0);
}

} // namespace wb::remote
