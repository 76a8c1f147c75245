# Automatic cancellation of a paid order the seller does not answer:
# 48 hours ("How to cancel my order?"). The Coronavirus Q&A of the same help
# centre says 72 hours: versions/coronavirus-qa-2020.

module cancellation
import types

# "Wait confirmation from seller. If seller did not respond within 48 hours,
#  order will be cancelled automatically."
const seller_cancel_reply_time: Duration = 48 hours
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")

rule seller_answered_in_time(r: CancelRequest)
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")
  when r.answered_at is some(t) and t < r.requested_at + seller_cancel_reply_time

rule auto_cancelled(r: CancelRequest, now: DateTime)
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")
  when not seller_answered_in_time(r) and now >= r.requested_at + seller_cancel_reply_time

test "cancelled automatically 48 hours after the request"
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?") {
  given r = CancelRequest { requested_at: 2020-05-03T10:00 }
  expect not auto_cancelled(r, 2020-05-05T09:59)
  expect auto_cancelled(r, 2020-05-05T10:00)
  expect not auto_cancelled(
    CancelRequest { requested_at: 2020-05-03T10:00, answered_at: 2020-05-04T10:00 },
    2020-05-06T10:00,
  )
}
