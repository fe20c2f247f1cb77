-- Walk-in check-ins at the training centre, as the kiosk form posts them (CSRF double-submit cookie).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("CHECKIN_COOKIE")
wrk.body = "csrf_token=" .. os.getenv("CHECKIN_CSRF") .. "&kiosk=1&service=enrol-msp&language=en"
-- Every answer should be 303 (to the ticket's page); wrk reports 4xx and 5xx as "Non-2xx or 3xx responses".
