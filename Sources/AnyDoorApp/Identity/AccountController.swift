import AnyDoorCore
import AnyDoorStore
import Foundation
import Hummingbird

/// Citizen and staff accounts: register, sign in (password, then TOTP or a recovery code), sign out,
/// the account page, two-factor set-up, email verification and password reset.
struct AccountController: Sendable {
    let identity: IdentityService
    let pages: PageRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/register") { _, context in renderRegister(context) }
        router.post("/register") { request, context in try await register(request, context) }
        router.get("/register/done") { _, context in
            let t = pages.translator(for: context)
            return pages.render(NoticePage(titleKey: "register.doneTitle", message: t("register.done"), linkText: t("register.continue"),
                                           linkHref: context.actor.personID == nil ? "/sign-in" : "/account/two-factor"), context: context, path: "/register/done")
        }
        router.get("/sign-in") { request, context in renderSignIn(context, staff: false, returnTo: Self.localPath(request.uri.queryParameters["return"].map(String.init))) }
        router.post("/sign-in") { request, context in try await signIn(request, context, kind: .person) }
        router.get("/staff/sign-in") { request, context in renderSignIn(context, staff: true, returnTo: Self.localPath(request.uri.queryParameters["return"].map(String.init)) ?? "/staff") }
        router.post("/staff/sign-in") { request, context in try await signIn(request, context, kind: .staff) }
        router.get("/sign-in/code") { request, context in try renderSecondFactor(context, returnTo: Self.localPath(request.uri.queryParameters["return"].map(String.init))) }
        router.post("/sign-in/code") { request, context in try await secondFactor(request, context) }
        router.post("/sign-out") { _, context in try await signOut(context) }
        router.get("/account") { _, context in try await account(context, notice: nil) }
        router.post("/account/sessions/sign-out-others") { _, context in
            try context.require(.useOwnAccount)
            guard let session = context.session else { throw AccessDenied(decision: .authenticate, action: .useOwnAccount) }
            try await identity.signOutEverywhereElse(session)
            return try await account(context, notice: pages.translator(for: context)("account.signedOutOthers"))
        }
        router.get("/account/step-up") { request, context in
            try context.require(.useOwnAccount)
            guard case .person(let person, _, _) = context.actor, let account = try await identity.people.find(person) else { throw AccessDenied(decision: .deny, action: .useOwnAccount) }
            let returnTo = Self.localPath(request.uri.queryParameters["return"].map(String.init)) ?? "/account"
            guard account.totpEnabledAt != nil else { return Response.redirect(to: "/account/two-factor?return=\(returnTo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", type: .found) }
            return renderStepUp(context, returnTo: returnTo, errors: [])
        }
        router.post("/account/step-up") { request, context in
            try context.require(.useOwnAccount)
            guard let session = context.session else { throw AccessDenied(decision: .authenticate, action: .useOwnAccount) }
            let form = try await FormBody.read(request)
            let returnTo = Self.localPath(form["return"]) ?? "/account"
            guard try await identity.completeSecondFactor(session: session, code: form["code"], address: context.remoteAddress) else {
                return renderStepUp(context, returnTo: returnTo, errors: [FieldError(field: "code", code: "wrongCode", message: "The code is not right.")], status: .unauthorized)
            }
            return Response.redirect(to: returnTo, type: .normal)
        }
        router.get("/account/prove-identity") { request, context in
            try context.require(.useOwnAccount)
            guard context.actor.personID != nil else { throw AccessDenied(decision: .deny, action: .useOwnAccount) }
            let level = request.uri.queryParameters["level"].flatMap { Int(String($0)) }.flatMap(AssuranceLevel.init(rawValue:)) ?? .verified
            let returnTo = Self.localPath(request.uri.queryParameters["return"].map(String.init)) ?? "/account"
            let t = pages.translator(for: context)
            return pages.render(ProveIdentityPage(level: t("assurance.level\(level.rawValue)"),
                                                  provincialHref: "/sign-in/provincial?return=" + (returnTo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""),
                                                  evidence: EvidenceType.allCases.filter(\.isPrimary).map { t("evidence.\($0.rawValue)") }),
                                context: context, path: "/account/prove-identity")
        }
        router.get("/account/two-factor") { _, context in try await renderTOTPSetup(context, secret: nil, errors: []) }
        router.post("/account/two-factor") { request, context in try await enableTOTP(request, context) }
        router.get("/verify-email/{token}") { _, context in
            let ok = try await identity.verifyEmail(token: context.parameters.get("token") ?? "")
            let t = pages.translator(for: context)
            return pages.render(NoticePage(titleKey: ok ? "verify.doneTitle" : "verify.failedTitle", message: t(ok ? "verify.done" : "verify.failed"),
                                           linkText: t("verify.continue"), linkHref: "/account"), context: context, path: "/verify-email", status: ok ? .ok : .badRequest)
        }
        router.get("/password-reset") { _, context in renderResetRequest(context, errors: []) }
        router.post("/password-reset") { request, context in
            let form = try await FormBody.read(request)
            let email = form["email"].trimmingCharacters(in: .whitespaces)
            guard MinistryRules.isPlausibleEmail(email) else {
                return renderResetRequest(context, errors: [FieldError(field: "email", code: "invalidFormat", message: "Enter an email address in the right format.")], value: email)
            }
            try await identity.requestPasswordReset(email: email)
            let t = pages.translator(for: context)
            return pages.render(NoticePage(titleKey: "reset.sentTitle", message: t("reset.sent"), linkText: t("reset.backToSignIn"), linkHref: "/sign-in"), context: context, path: "/password-reset")
        }
        router.get("/password-reset/{token}") { _, context in renderReset(context, token: context.parameters.get("token") ?? "", errors: []) }
        router.post("/password-reset/{token}") { request, context in
            let token = context.parameters.get("token") ?? ""
            let form = try await FormBody.read(request)
            let t = pages.translator(for: context)
            do {
                guard try await identity.resetPassword(token: token, newPassword: form["password"]) else {
                    return pages.render(NoticePage(titleKey: "reset.failedTitle", message: t("reset.failed"), linkText: t("reset.askAgain"), linkHref: "/password-reset"),
                                        context: context, path: "/password-reset", status: .badRequest)
                }
            } catch let error as ValidationError {
                return renderReset(context, token: token, errors: error.errors, status: .unprocessableContent)
            }
            return pages.render(NoticePage(titleKey: "reset.doneTitle", message: t("reset.done"), linkText: t("reset.backToSignIn"), linkHref: "/sign-in"), context: context, path: "/password-reset")
        }
        router.get("/staff") { _, context in
            guard case .staff(let id, let roles) = context.actor else {
                throw AccessDenied(decision: context.actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount)
            }
            let account = try await identity.staff.find(id)
            let t = pages.translator(for: context)
            return pages.render(StaffHomePage(csrfToken: context.csrfToken, name: account?.name ?? "", roles: roles.map { t("role.\($0.role.rawValue)") }), context: context, path: "/staff")
        }
    }

    // MARK: - Register

    func renderRegister(_ context: AppRequestContext, values: FormBody = FormBody(parsing: ""), errors: [FieldError] = [], status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let page = RegisterPage(
            csrfToken: context.csrfToken, errors: messages.summary,
            email: FormField(name: "email", label: t("register.email"), hint: t("register.emailHint"), type: "email", autocomplete: "email", value: values["email"], error: messages.message(for: "email")),
            name: FormField(name: "name", label: t("register.name"), autocomplete: "name", value: values["name"], error: messages.message(for: "name")),
            password: FormField(name: "password", label: t("register.password"), hint: t("register.passwordHint"), type: "password", autocomplete: "new-password", error: messages.message(for: "password"))
        )
        return pages.render(page, context: context, path: "/register", status: status)
    }

    func register(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        do {
            let token = try await identity.register(.init(email: form["email"], name: form["name"], password: form["password"], language: context.language),
                                                    device: Self.device(request))
            // Post/redirect/get: the next page is drawn by a fresh request, with the new session.
            var response = Response.redirect(to: "/register/done", type: .normal)
            if let token { response.setCookie(SessionMiddleware.cookie(token)) }
            return response
        } catch let error as ValidationError {
            return renderRegister(context, values: form, errors: error.errors, status: .unprocessableContent)
        }
    }

    // MARK: - Sign in

    func renderSignIn(_ context: AppRequestContext, staff: Bool, returnTo: String?, email: String = "", errors: [FieldError] = [], status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let page = SignInPage(
            titleKey: staff ? "signIn.staffTitle" : "signIn.title", action: staff ? "/staff/sign-in" : "/sign-in", csrfToken: context.csrfToken, errors: messages.summary,
            email: FormField(name: "email", label: t("signIn.email"), type: "email", autocomplete: "username", value: email, error: messages.message(for: "email")),
            password: FormField(name: "password", label: t("signIn.password"), type: "password", autocomplete: "current-password", error: messages.message(for: "password")),
            isStaff: staff, returnTo: returnTo ?? ""
        )
        return pages.render(page, context: context, path: staff ? "/staff/sign-in" : "/sign-in", status: status)
    }

    func signIn(_ request: Request, _ context: AppRequestContext, kind: AccountKind) async throws -> Response {
        let form = try await FormBody.read(request)
        let returnTo = Self.localPath(form["return"]) ?? (kind == .staff ? "/staff" : "/account")
        var missing: [FieldError] = []
        if form["email"].isEmpty { missing.append(FieldError(field: "email", code: "required", message: "Enter your email address.")) }
        if form["password"].isEmpty { missing.append(FieldError(field: "password", code: "required", message: "Enter your password.")) }
        guard missing.isEmpty else { return renderSignIn(context, staff: kind == .staff, returnTo: returnTo, email: form["email"], errors: missing, status: .unprocessableContent) }
        switch try await identity.signIn(kind: kind, email: form["email"], password: form["password"], address: context.remoteAddress, device: Self.device(request)) {
        case .signedIn(let token):
            var response = Response.redirect(to: returnTo, type: .found)
            response.setCookie(SessionMiddleware.cookie(token))
            return response
        case .needsSecondFactor(let token):
            var response = Response.redirect(to: "/sign-in/code?return=\(returnTo.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")", type: .found)
            response.setCookie(SessionMiddleware.cookie(token))
            return response
        case .wrongCredentials:
            return renderSignIn(context, staff: kind == .staff, returnTo: returnTo, email: form["email"],
                                errors: [FieldError(field: "email", code: "wrongCredentials", message: "The email address or password is not right.")], status: .unauthorized)
        case .throttled:
            return renderSignIn(context, staff: kind == .staff, returnTo: returnTo, email: form["email"],
                                errors: [FieldError(field: "email", code: "throttled", message: "Too many attempts. Wait an hour, or reset your password.")], status: .tooManyRequests)
        }
    }

    func renderStepUp(_ context: AppRequestContext, returnTo: String, errors: [FieldError], status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        return pages.render(StepUpPage(csrfToken: context.csrfToken, errors: messages.summary,
                                       code: FormField(name: "code", label: t("secondFactor.code"), hint: t("secondFactor.hint"), autocomplete: "one-time-code", error: messages.message(for: "code"), inputmode: "numeric"),
                                       returnTo: returnTo), context: context, path: "/account/step-up", status: status)
    }

    func renderSecondFactor(_ context: AppRequestContext, returnTo: String?, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) throws -> Response {
        guard context.session?.awaitingSecondFactor == true else { return Response.redirect(to: "/sign-in", type: .found) }
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        return pages.render(SecondFactorPage(csrfToken: context.csrfToken, errors: messages.summary,
                                             code: FormField(name: "code", label: t("secondFactor.code"), hint: t("secondFactor.hint"), autocomplete: "one-time-code", error: messages.message(for: "code"), inputmode: "numeric"),
                                             returnTo: returnTo ?? ""), context: context, path: "/sign-in/code", status: status)
    }

    func secondFactor(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try await FormBody.read(request)
        let returnTo = Self.localPath(form["return"])
        guard let session = context.session, session.awaitingSecondFactor else { return Response.redirect(to: "/sign-in", type: .found) }
        guard try await identity.completeSecondFactor(session: session, code: form["code"], address: context.remoteAddress) else {
            return try renderSecondFactor(context, returnTo: returnTo, errors: [FieldError(field: "code", code: "wrongCode", message: "The code is not right. Check your authenticator app and try again.")], status: .unauthorized)
        }
        return Response.redirect(to: returnTo ?? (session.kind == .staff ? "/staff" : "/account"), type: .found)
    }

    func signOut(_ context: AppRequestContext) async throws -> Response {
        if let session = context.session { try await identity.signOut(session) }
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(SessionMiddleware.clearingCookie)
        return response
    }

    // MARK: - Account

    func account(_ context: AppRequestContext, notice: String?) async throws -> Response {
        guard let session = context.session, case .person(let personID, _, _) = context.actor else {
            throw AccessDenied(decision: context.actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount)
        }
        try context.require(.useOwnAccount)
        guard let account = try await identity.people.find(personID) else { throw AccessDenied(decision: .authenticate, action: .useOwnAccount) }
        let t = pages.translator(for: context)
        let formats = LocaleFormats(language: context.language)
        let sessions = try await identity.activeSessions(of: session)
        let activity = try await identity.audit.recent(limit: 20, involving: "person:\(personID)")
        let page = AccountPage(
            csrfToken: context.csrfToken, name: account.person.name, email: account.person.email, emailVerified: account.person.emailVerifiedAt != nil,
            assurance: t("assurance.level\(account.person.assurance.rawValue)"), totpEnabled: account.totpEnabledAt != nil,
            recoveryCodesLeft: try await identity.secrets.unusedRecoveryCodes(account: personID.rawValue),
            sessions: sessions.map { AccountPage.SessionRow(device: $0.device, signedInAt: formats.dateTime($0.createdAt), lastActiveAt: formats.dateTime($0.lastSeenAt), isCurrent: $0.idHash == session.idHash) },
            otherSessions: sessions.count > 1,
            activity: activity.map { stored in
                let key = "activity.\(stored.entry.action)"
                let what = t(key)
                return AccountPage.ActivityRow(when: formats.dateTime(stored.entry.at), what: what == key ? stored.entry.action : what,
                                               outcome: stored.entry.outcome == "success" ? nil : t("activity.failed"))
            },
            notice: notice
        )
        return pages.render(page, context: context, path: "/account")
    }

    func renderTOTPSetup(_ context: AppRequestContext, secret: String?, errors: [FieldError]) async throws -> Response {
        try context.require(.useOwnAccount)
        guard case .person(let personID, _, _) = context.actor, let account = try await identity.people.find(personID) else {
            throw AccessDenied(decision: context.actor == .anonymous ? .authenticate : .deny, action: .useOwnAccount)
        }
        let secret = secret ?? OneTimeCodes.newTOTPSecret()
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        let page = TOTPSetupPage(
            csrfToken: context.csrfToken, errors: messages.summary, typeableSecret: OneTimeCodes.typeableSecret(secret),
            authenticatorURL: OneTimeCodes.authenticatorURL(secret: secret, account: account.person.email),
            sealedSecret: try identity.keys.seal(secret, context: "totp.pending.\(personID)"),
            code: FormField(name: "code", label: t("totp.code"), hint: t("totp.codeHint"), autocomplete: "one-time-code", error: messages.message(for: "code"), inputmode: "numeric")
        )
        return pages.render(page, context: context, path: "/account/two-factor", status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func enableTOTP(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try context.require(.useOwnAccount)
        guard case .person(let personID, _, _) = context.actor, let session = context.session else { throw AccessDenied(decision: .deny, action: .useOwnAccount) }
        let form = try await FormBody.read(request)
        // The secret travels sealed to this person, so it cannot be read or swapped in the page.
        guard let secret = try? identity.keys.open(form["secret"], context: "totp.pending.\(personID)") else {
            return try await renderTOTPSetup(context, secret: nil, errors: [FieldError(field: "code", code: "expired", message: "Start again: scan the new code.")])
        }
        guard let codes = try await identity.enableTOTP(person: personID, session: session, secret: secret, code: form["code"]) else {
            return try await renderTOTPSetup(context, secret: secret, errors: [FieldError(field: "code", code: "wrongCode", message: "The code is not right. Check your authenticator app and try again.")])
        }
        return pages.render(RecoveryCodesPage(codes: codes), context: context, path: "/account/two-factor")
    }

    // MARK: - Password reset

    func renderResetRequest(_ context: AppRequestContext, errors: [FieldError], value: String = "") -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        return pages.render(PasswordResetPage(titleKey: "reset.requestTitle", action: "/password-reset", csrfToken: context.csrfToken, errors: messages.summary,
                                              field: FormField(name: "email", label: t("signIn.email"), type: "email", autocomplete: "email", value: value, error: messages.message(for: "email")),
                                              isRequest: true), context: context, path: "/password-reset", status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    func renderReset(_ context: AppRequestContext, token: String, errors: [FieldError], status: HTTPResponse.Status = .ok) -> Response {
        let t = pages.translator(for: context)
        let messages = FieldMessages(translate: t, errors: errors)
        return pages.render(PasswordResetPage(titleKey: "reset.newTitle", action: "/password-reset/\(token)", csrfToken: context.csrfToken, errors: messages.summary,
                                              field: FormField(name: "password", label: t("reset.newPassword"), hint: t("register.passwordHint"), type: "password", autocomplete: "new-password", error: messages.message(for: "password")),
                                              isRequest: false), context: context, path: "/password-reset", status: status)
    }

    // MARK: - Helpers

    /// Only local paths are followed after sign-in (ASVS 5.1.5: no open redirects).
    static func localPath(_ candidate: String?) -> String? {
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), !candidate.contains("\\"), !candidate.contains("://"),
              candidate.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else { return nil }
        return candidate
    }

    /// A coarse, non-identifying description of the browser for the session list.
    static func device(_ request: Request) -> String {
        let agent = request.headers[.userAgent] ?? ""
        // Ordered: Edge's and Chrome's agents also say "Safari", Android's also says "Linux".
        let browsers = [("Edg", "Edge"), ("Firefox", "Firefox"), ("Chrome", "Chrome"), ("Safari", "Safari")]
        let systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux")]
        let browser = browsers.first { agent.contains($0.0) }?.1 ?? "Browser"
        let system = systems.first { agent.contains($0.0) }?.1
        return system.map { "\(browser) · \($0)" } ?? browser
    }
}
