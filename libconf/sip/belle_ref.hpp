#pragma once
// Ownership of belle-sip objects. Most belle-sip objects (messages, headers,
// URIs, SDP, transactions, dialogs) start "floating" (no reference; the
// thread's object pool frees them at the next main-loop iteration unless
// someone takes one). BelleRef takes one reference for its lifetime, so such
// an object lives exactly as long as the C++ owner, whether or not the
// thread has a pool. A few types start owned by their creator (stack,
// provider, listener, refresher, sources, TLS crypto config): those are held
// as plain pointers and released with exactly one unref, never wrapped.

#include <belle-sip/object.h>

#include <utility>

namespace libconf::sip::detail {

template <class T>
class BelleRef {
 public:
  BelleRef() noexcept = default;
  explicit BelleRef(T* object) noexcept : object_(object) {
    if (object_) belle_sip_object_ref(object_);
  }
  BelleRef(const BelleRef& other) noexcept : BelleRef(other.object_) {}
  BelleRef(BelleRef&& other) noexcept : object_(std::exchange(other.object_, nullptr)) {}
  BelleRef& operator=(BelleRef other) noexcept {
    std::swap(object_, other.object_);
    return *this;
  }
  ~BelleRef() {
    if (object_) belle_sip_object_unref(object_);
  }
  T* get() const noexcept { return object_; }
  T* operator->() const noexcept { return object_; }
  explicit operator bool() const noexcept { return object_ != nullptr; }
  void reset() noexcept { BelleRef().swap(*this); }
  void swap(BelleRef& other) noexcept { std::swap(object_, other.object_); }

 private:
  T* object_ = nullptr;
};

template <class T>
BelleRef<T> adopt(T* object) noexcept {
  return BelleRef<T>(object);
}

}  // namespace libconf::sip::detail
