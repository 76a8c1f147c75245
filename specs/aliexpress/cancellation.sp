# Cancellation: unpaid orders, paid orders (seller approval or automatic
# cancellation), payment under verification, and orders the seller fails to ship.
#
# Sources: aliexpress-buyer-help-center.txt ("How to cancel my order?", "What
# will happen if seller fails to ship order on time?") and the "Cancellation of
# Orders" paragraph of aliexpress-buyer-protection-program.txt.
# The Coronavirus Q&A of the same help centre says 72 hours instead of 48: that
# version is versions/coronavirus-qa-2020/ (docs/findings.md F12).

module cancellation
import types

enum OrderStatus
  @cite("aliexpress-buyer-help-center.txt", "How do I know if my order has been shipped?") {
  awaiting_payment,
  payment_being_verified @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?"),
  payment_processing @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?"),
  awaiting_shipment,
  awaiting_delivery,
  completed,
  closed,
}

enum SellerAnswer @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?") {
  no_answer,
  approved,
  rejected,
}

record CancelRequest {
  order: Order
  status: OrderStatus  # the order's status when the request is made
  requested_at: DateTime
  answer: SellerAnswer
  answered_at: DateTime?
  invariant answer_has_a_time: (answer == SellerAnswer.no_answer) == (answered_at is none)
  invariant answer_after_request: if answered_at is some(t) then t >= requested_at else true
}

# "1. Unpaid order: You can cancel directly by clicking 'Cancel Order' button on
#  order detail page."
rule can_cancel_directly(s: OrderStatus)
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")
  when s == OrderStatus.awaiting_payment

# "You may apply for cancellation of your order at any time once you have
#  successfully paid and until the seller makes the shipment."
# "Order cannot be cancelled when order status is 'Payment being verified' or
#  'Payment processing'."
rule can_request_cancellation(s: OrderStatus)
  @cite("aliexpress-buyer-protection-program.txt", "Cancellation of Orders")
  when s in [
    OrderStatus.payment_being_verified,
    OrderStatus.payment_processing,
    OrderStatus.awaiting_shipment,
  ]
  unless s in [OrderStatus.payment_being_verified, OrderStatus.payment_processing]
    @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")

# "Wait confirmation from seller. If seller did not respond within 48 hours,
#  order will be cancelled automatically."
# Reading (F4): "within 48 hours" is [requested, requested + 48 hours); the
# automatic cancellation happens when the 48 hours have passed.
const seller_cancel_reply_time: Duration = 48 hours
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")

rule seller_answered_in_time(r: CancelRequest)
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")
  when r.answered_at is some(t) and t < r.requested_at + seller_cancel_reply_time

rule cancelled(r: CancelRequest, now: DateTime)
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")
  when can_cancel_directly(r.status) and now >= r.requested_at
  # "You can cancel your order with seller's approval."
  when can_request_cancellation(r.status)
    and r.answer == SellerAnswer.approved
    and seller_answered_in_time(r)
    and r.answered_at is some(t)
    and now >= t
  when can_request_cancellation(r.status)
    and not seller_answered_in_time(r)
    and now >= r.requested_at + seller_cancel_reply_time

# "Refund will be processed to your bank/card account within 3-20 business days"
def cancellation_refund(r: CancelRequest, now: DateTime) -> Money
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?")
  when can_cancel_directly(r.status) => US$0  # nothing was paid
  when cancelled(r, now) => refundable_cash(r.order)
  otherwise => US$0

# "Please note that the package of the order is in transit and it could not be
#  cancelled now."
rule too_late_to_cancel(s: OrderStatus)
  @cite("aliexpress-buyer-help-center.txt", "About Coronavirus")
  when s in [OrderStatus.awaiting_delivery, OrderStatus.completed, OrderStatus.closed]

# "After successful payment, the seller is required to prepare the shipment and
#  send it in due time. If the shipment is not completed in the required time on
#  the order page, AliExpress will close the order and return all the funds to
#  you." -- `ship_by` is the last day of the shipping countdown.
rule closed_for_late_shipment(o: Order, ship_by: Date, today: Date)
  @cite("aliexpress-buyer-help-center.txt", "What will happen if seller fails to ship order on time?")
  when today > ship_by and o.shipped_at ?? today > ship_by

def late_shipment_refund(o: Order, ship_by: Date, today: Date) -> Money
  @cite("aliexpress-buyer-help-center.txt", "What will happen if seller fails to ship order on time?")
  when closed_for_late_shipment(o, ship_by, today) => refundable_cash(o)
  otherwise => US$0

# ============================================================ tests

test "an unpaid order is cancelled directly, with nothing to refund"
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?") {
  given r = CancelRequest {
    order: Order {
      paid_at: 2020-05-01,
      payment: PaymentMethod.card,
      items: [Item { price: US$12, category: Category.general, free_return_label: false }],
      shipping_fee: US$0,
      cash_paid: US$0,
      tracking: Tracking.normal,
    },
    status: OrderStatus.awaiting_payment,
    requested_at: 2020-05-01T09:00,
    answer: SellerAnswer.no_answer,
  }
  expect can_cancel_directly(OrderStatus.awaiting_payment)
  expect cancelled(r, 2020-05-01T09:00)
  expect cancellation_refund(r, 2020-05-01T09:00) == US$0
}

# "If seller did not respond within 48 hours, order will be cancelled automatically."
test "paid order, no answer: cancelled 48 hours after the request"
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?") {
  given r = CancelRequest {
    order: Order {
      paid_at: 2020-05-01,
      payment: PaymentMethod.card,
      items: [Item { price: US$12, category: Category.general, free_return_label: false }],
      shipping_fee: US$1.50,
      cash_paid: US$13.50,
      tracking: Tracking.normal,
    },
    status: OrderStatus.awaiting_shipment,
    requested_at: 2020-05-03T10:00,
    answer: SellerAnswer.no_answer,
  }
  expect can_request_cancellation(OrderStatus.awaiting_shipment)
  expect not cancelled(r, 2020-05-05T09:59)
  expect cancelled(r, 2020-05-05T10:00)
  expect cancellation_refund(r, 2020-05-05T09:59) == US$0
  expect cancellation_refund(r, 2020-05-05T10:00) == US$13.50
}

test "paid order: the seller approves or rejects in time"
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?") {
  given approved = CancelRequest {
    order: Order {
      paid_at: 2020-05-01,
      payment: PaymentMethod.card,
      items: [Item { price: US$12, category: Category.general, free_return_label: false }],
      shipping_fee: US$0,
      cash_paid: US$12,
      tracking: Tracking.normal,
    },
    status: OrderStatus.awaiting_shipment,
    requested_at: 2020-05-03T10:00,
    answer: SellerAnswer.approved,
    answered_at: 2020-05-04T08:00,
  }
  given rejected = CancelRequest {
    order: Order {
      paid_at: 2020-05-01,
      payment: PaymentMethod.card,
      items: [Item { price: US$12, category: Category.general, free_return_label: false }],
      shipping_fee: US$0,
      cash_paid: US$12,
      tracking: Tracking.normal,
    },
    status: OrderStatus.awaiting_shipment,
    requested_at: 2020-05-03T10:00,
    answer: SellerAnswer.rejected,
    answered_at: 2020-05-05T09:59,
  }
  given rejected_late = CancelRequest {
    order: Order {
      paid_at: 2020-05-01,
      payment: PaymentMethod.card,
      items: [Item { price: US$12, category: Category.general, free_return_label: false }],
      shipping_fee: US$0,
      cash_paid: US$12,
      tracking: Tracking.normal,
    },
    status: OrderStatus.awaiting_shipment,
    requested_at: 2020-05-03T10:00,
    answer: SellerAnswer.rejected,
    answered_at: 2020-05-05T10:00,
  }
  expect not cancelled(approved, 2020-05-04T07:59)
  expect cancelled(approved, 2020-05-04T08:00)
  expect cancellation_refund(approved, 2020-05-04T08:00) == US$12
  expect not cancelled(rejected, 2020-05-10T10:00)
  expect cancellation_refund(rejected, 2020-05-10T10:00) == US$0
  expect cancelled(rejected_late, 2020-05-05T10:00)
}

# "Order cannot be cancelled when order status is 'Payment being verified' or
#  'Payment processing'." / "the package of the order is in transit and it could
#  not be cancelled now."
test "no cancellation while payment is verified, nor once shipped"
  @cite("aliexpress-buyer-help-center.txt", "How to cancel my order?") {
  given r = CancelRequest {
    order: Order {
      paid_at: 2020-05-01,
      payment: PaymentMethod.card,
      items: [Item { price: US$12, category: Category.general, free_return_label: false }],
      shipping_fee: US$0,
      cash_paid: US$12,
      tracking: Tracking.normal,
    },
    status: OrderStatus.payment_being_verified,
    requested_at: 2020-05-01T10:00,
    answer: SellerAnswer.no_answer,
  }
  expect not can_request_cancellation(OrderStatus.payment_being_verified)
  expect not can_request_cancellation(OrderStatus.payment_processing)
  expect not cancelled(r, 2020-05-10T10:00)
  expect not can_request_cancellation(OrderStatus.awaiting_delivery)
  expect too_late_to_cancel(OrderStatus.awaiting_delivery)
  expect not too_late_to_cancel(OrderStatus.awaiting_shipment)
}

# "If the shipment is not completed in the required time on the order page,
#  AliExpress will close the order and return all the funds to you."
test "seller fails to ship in time: closed and refunded"
  @cite("aliexpress-buyer-help-center.txt", "What will happen if seller fails to ship order on time?") {
  given unshipped = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$12, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$11,
    tracking: Tracking.normal,
  }
  given shipped = Order {
    paid_at: 2020-05-01,
    payment: PaymentMethod.card,
    items: [Item { price: US$12, category: Category.general, free_return_label: false }],
    shipping_fee: US$0,
    cash_paid: US$11,
    shipped_at: 2020-05-08,
    delivery_deadline: 2020-06-01,
    tracking: Tracking.normal,
  }
  expect not closed_for_late_shipment(unshipped, 2020-05-08, 2020-05-08)
  expect closed_for_late_shipment(unshipped, 2020-05-08, 2020-05-09)
  expect late_shipment_refund(unshipped, 2020-05-08, 2020-05-09) == US$11
  expect not closed_for_late_shipment(shipped, 2020-05-08, 2020-05-09)
  expect late_shipment_refund(shipped, 2020-05-08, 2020-05-09) == US$0
}
