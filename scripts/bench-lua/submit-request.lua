-- Service requests through Open311 GeoReport v2 (POST requests.json with the demo client's key): each is
-- validated against the service's definition, stored with its first events and audit entry, and announced to
-- the ministry's webhook receiver through the transactional outbox. Every answer should be 201.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "api_key=" .. os.getenv("BENCH_API_KEY") .. "&service_code=order-birth-certificate"
  .. "&address_string=1%20Main%20St%2C%20Victoria&lat=48.4284&long=-123.3656"
  .. "&attribute%5Bname-on-record%5D=Ada%20Lovelace&attribute%5Bcertificate-type%5D=large&attribute%5Bcopies%5D=2"
  .. "&description=For%20a%20passport"
