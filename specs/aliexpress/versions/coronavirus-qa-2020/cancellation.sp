# Automatic cancellation as the help centre's Coronavirus Q&A (2020) states it:
# 72 hours, against 48 hours in "How to cancel my order?" (versions/help-center-2020).

module cancellation
import types

# "If you do not want to receive the order any more, you can request to cancel
#  it on order detail page. Please kindly wait for the seller to respond, If the
#  seller does not respond within 72 hours, the order will be automatically
#  cancelled."
const seller_cancel_reply_time: Duration = 72 hours
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus, Q5")

rule seller_answered_in_time(r: CancelRequest)
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus, Q5")
  when r.answered_at is some(t) and t < r.requested_at + seller_cancel_reply_time

rule auto_cancelled(r: CancelRequest, now: DateTime)
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus, Q5")
  when not seller_answered_in_time(r) and now >= r.requested_at + seller_cancel_reply_time

test "cancelled automatically 72 hours after the request"
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus, Q5") {
  given r = CancelRequest { requested_at: 2020-05-03T10:00 }
  expect not auto_cancelled(r, 2020-05-05T10:00)
  expect not auto_cancelled(r, 2020-05-06T09:59)
  expect auto_cancelled(r, 2020-05-06T10:00)
}
