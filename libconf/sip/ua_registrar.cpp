// The registrar (REGISTER with digest, bindings with expiry) and client
// registrations to providers (belle-sip's refresher: digest and refresh).

#include <algorithm>

#include "libconf/sip/ua_impl.hpp"

namespace libconf::sip {
namespace {

void refresher_listener(belle_sip_refresher_t*, void* data, unsigned int status, const char* reason, int will_retry) {
  auto* d = static_cast<RefresherData*>(data);
  d->impl->on_refresher(d->id, status, reason, will_retry);
}

}  // namespace

// ---- registrar ---------------------------------------------------------------------

void UserAgent::Impl::on_register(belle_sip_request_t* request) {
  auto st = BelleRef<belle_sip_server_transaction_t>(belle_sip_provider_create_server_transaction(provider, request));
  auto req = BelleRef<belle_sip_request_t>(request);
  const RequestSource source = request_source(request);
  if (!config.credentials) {
    send_response(st.get(), request, 403, "Forbidden (no registrar here)");
    return;
  }
  authenticate(st, req, source, [this, st, req, source](std::string user) {
    continue_register(st, req, source, std::move(user));
  });
}

void UserAgent::Impl::continue_register(BelleRef<belle_sip_server_transaction_t> st, BelleRef<belle_sip_request_t> req,
                                        RequestSource source, std::string user) {
  belle_sip_request_t* request = req.get();
  auto* message = BELLE_SIP_MESSAGE(request);
  auto* to = belle_sip_message_get_header_by_type(message, belle_sip_header_to_t);
  const std::string aor_user = to ? uri_user(belle_sip_header_address_get_uri(BELLE_SIP_HEADER_ADDRESS(to))) : "";
  if (aor_user != user) {
    log("REGISTER of '" + aor_user + "' by '" + user + "' refused (403)");
    send_response(st.get(), request, 403, "Forbidden (To is not the authenticated user)");
    return;
  }
  expire_bindings();
  auto* contact = belle_sip_message_get_header_by_type(message, belle_sip_header_contact_t);
  const auto header_expires = header_number(message, "Expires");
  if (contact == nullptr) {  // a query: answer the current binding
    belle_sip_response_t* r = belle_sip_response_create_from_request(request, 200);
    add_common_headers(BELLE_SIP_MESSAGE(r));
    if (auto b = bindings.find(user); b != bindings.end()) {
      belle_sip_message_add_header(BELLE_SIP_MESSAGE(r), belle_sip_header_create("Contact", ("<" + b->second.contact + ">").c_str()));
    }
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  int expires = belle_sip_header_contact_get_expires(contact);
  if (expires < 0) expires = header_expires ? static_cast<int>(std::clamp<long long>(*header_expires, 0, 1 << 30)) : 3600;
  if (belle_sip_header_contact_is_wildcard(contact) || expires == 0) {
    bindings.erase(user);
    log("registrar: '" + user + "' unregistered");
    send_response(st.get(), request, 200);
    return;
  }
  if (expires < config.register_min_expires_s) {
    belle_sip_response_t* r = belle_sip_response_create_from_request(request, 423);
    add_common_headers(BELLE_SIP_MESSAGE(r));
    belle_sip_message_add_header(BELLE_SIP_MESSAGE(r),
                                 belle_sip_header_create("Min-Expires", std::to_string(config.register_min_expires_s).c_str()));
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  expires = std::min(expires, config.register_max_expires_s);
  if (!bindings.contains(user) && bindings.size() >= config.limits.max_registrations) {
    belle_sip_response_t* r = belle_sip_response_create_from_request(request, 503);
    add_common_headers(BELLE_SIP_MESSAGE(r));
    belle_sip_message_add_header(BELLE_SIP_MESSAGE(r), BELLE_SIP_HEADER(belle_sip_header_retry_after_create(60)));
    belle_sip_server_transaction_send_response(st.get(), r);
    return;
  }
  Binding b;
  b.user = user;
  b.contact = to_string(BELLE_SIP_OBJECT(belle_sip_header_address_get_uri(BELLE_SIP_HEADER_ADDRESS(contact))));
  b.source_address = source.address;
  b.source_port = source.port;
  b.transport = source.transport;
  b.expires_at_ms = now_ms() + 1000LL * expires;
  const bool fresh = !bindings.contains(user);
  bindings[user] = b;
  if (fresh) log("registrar: '" + user + "' registered at " + b.contact + " for " + std::to_string(expires) + " s");

  belle_sip_response_t* r = belle_sip_response_create_from_request(request, 200);
  add_common_headers(BELLE_SIP_MESSAGE(r));
  const std::string contact_value = "<" + b.contact + ">;expires=" + std::to_string(expires);
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(r), belle_sip_header_create("Contact", contact_value.c_str()));
  belle_sip_message_add_header(BELLE_SIP_MESSAGE(r), BELLE_SIP_HEADER(belle_sip_header_expires_create(expires)));
  belle_sip_server_transaction_send_response(st.get(), r);
}

void UserAgent::Impl::expire_bindings() {
  const std::int64_t now = now_ms();
  std::erase_if(bindings, [now](const auto& entry) { return entry.second.expires_at_ms <= now; });
}

// ---- client registrations --------------------------------------------------------------

Outcome<RegistrationId> UserAgent::Impl::register_to(const RegistrationConfig& c) {
  auto bad = [](std::string m) { return Failure{errc::invalid_argument, "register: " + std::move(m), 0}; };
  if (c.registrar.empty() || c.registrar.find_first_of("\r\n") != std::string::npos) return bad("registrar is empty or not one line");
  BelleRef<belle_sip_uri_t> registrar(belle_sip_uri_parse(c.registrar.c_str()));
  if (!registrar) return bad("registrar '" + c.registrar.substr(0, 100) + "' is not a SIP URI");
  auto simple = [](const std::string& s) {
    return !s.empty() && s.size() <= 64 && s.find_first_of(" \t\r\n<>\"@:;") == std::string::npos;
  };
  if (!simple(c.user)) return bad("user '" + c.user.substr(0, 64) + "' is not a SIP user part");
  if (!c.auth_user.empty() && !simple(c.auth_user)) return bad("auth_user '" + c.auth_user.substr(0, 64) + "' is not a user name");
  if (!c.domain.empty() && !simple(c.domain)) return bad("domain '" + c.domain.substr(0, 64) + "' is not a host name");
  if (c.expires_s < 60 || c.expires_s > 86400) return bad("expires_s " + std::to_string(c.expires_s) + " is outside 60..86400");
  const std::string domain = c.domain.empty() ? (belle_sip_uri_get_host(registrar.get()) ? belle_sip_uri_get_host(registrar.get()) : "") : c.domain;

  belle_sip_uri_t* aor = belle_sip_uri_create(c.user.c_str(), domain.c_str());
  belle_sip_header_address_t* from = belle_sip_header_address_create(nullptr, aor);
  belle_sip_header_address_t* to = belle_sip_header_address_create(nullptr, BELLE_SIP_URI(belle_sip_object_clone(BELLE_SIP_OBJECT(aor))));
  belle_sip_request_t* request = belle_sip_request_create(
      BELLE_SIP_URI(belle_sip_object_clone(BELLE_SIP_OBJECT(registrar.get()))), "REGISTER", belle_sip_provider_create_call_id(provider),
      belle_sip_header_cseq_create(20, "REGISTER"), belle_sip_header_from_create(from, BELLE_SIP_RANDOM_TAG),
      belle_sip_header_to_create(to, nullptr), belle_sip_header_via_new(), 70);
  auto* message = BELLE_SIP_MESSAGE(request);
  belle_sip_header_contact_t* contact = belle_sip_header_contact_new();
  belle_sip_uri_t* contact_uri = belle_sip_uri_new();
  belle_sip_uri_set_user(contact_uri, c.user.c_str());
  belle_sip_header_address_set_uri(BELLE_SIP_HEADER_ADDRESS(contact), contact_uri);
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(contact));
  belle_sip_message_add_header(message, BELLE_SIP_HEADER(belle_sip_header_expires_create(c.expires_s)));
  add_common_headers(message);

  const RegistrationId id = next_registration++;
  Registration& reg = registrations[id];
  reg.config = c;
  belle_sip_client_transaction_t* ct = belle_sip_provider_create_client_transaction(provider, request);
  if (belle_sip_client_transaction_send_request(ct) != 0) {
    registrations.erase(id);
    return Failure{errc::io_error, "register: belle-sip could not send to '" + c.registrar.substr(0, 100) + "'", 0};
  }
  reg.refresher = belle_sip_client_transaction_create_refresher(ct);  // created owned: ours to unref
  if (reg.refresher == nullptr) {
    registrations.erase(id);
    return Failure{errc::io_error, "register: belle-sip made no refresher", 0};
  }
  reg.data = std::make_unique<RefresherData>();
  reg.data->impl = this;
  reg.data->id = id;
  belle_sip_refresher_set_listener(reg.refresher, refresher_listener, reg.data.get());
  log("registration " + std::to_string(id) + ": REGISTER " + c.user + "@" + domain + " to " + c.registrar);
  return id;
}

void UserAgent::Impl::on_refresher(RegistrationId id, unsigned int status, const char* reason, int will_retry) {
  auto it = registrations.find(id);
  if (it == registrations.end()) return;
  Registration& reg = it->second;
  RegistrationStatus s;
  s.id = id;
  s.sip_status = static_cast<int>(status);
  s.reason = reason ? reason : "";
  s.expires_s = belle_sip_refresher_get_expires(reg.refresher);
  if (reg.state == RegistrationState::unregistered || (status >= 200 && status < 300 && s.expires_s == 0)) {
    s.state = RegistrationState::unregistered;
    belle_sip_refresher_stop(reg.refresher);
    belle_sip_object_unref(reg.refresher);
    registrations.erase(it);
    log("registration " + std::to_string(id) + ": unregistered (" + std::to_string(status) + ")");
    handler.on_registration(s);
    return;
  }
  // A refusal (401/403/404/...) is a failure even though belle-sip's refresher
  // keeps retrying it; timeouts, 5xx and transport errors are still "registering".
  const bool transient = status == 0 || status == 408 || status == 480 || status >= 500;
  if (status >= 200 && status < 300) {
    s.state = RegistrationState::registered;
  } else {
    s.state = transient && will_retry ? RegistrationState::registering : RegistrationState::failed;
  }
  reg.state = s.state;
  log("registration " + std::to_string(id) + ": " + std::string(to_string(s.state)) + " " + std::to_string(status) + " " + s.reason +
      (s.state == RegistrationState::registered ? " for " + std::to_string(s.expires_s) + " s" : ""));
  handler.on_registration(s);
}

Result<void> UserAgent::Impl::unregister(RegistrationId id) {
  auto it = registrations.find(id);
  if (it == registrations.end()) return errc::not_found;
  Registration& reg = it->second;
  if (reg.state == RegistrationState::unregistered) return {};
  const bool was_registered = reg.state == RegistrationState::registered;
  reg.state = RegistrationState::unregistered;
  if (!was_registered || belle_sip_refresher_refresh(reg.refresher, 0) != 0) {
    belle_sip_refresher_stop(reg.refresher);
    belle_sip_object_unref(reg.refresher);
    registrations.erase(it);
  }
  return {};
}

}  // namespace libconf::sip
