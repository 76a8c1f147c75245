# Shared types of the published versions (versions/*). Every version folder
# holds an identical copy of this file, so that `smallprint diff` compares
# versions over the same inputs. Day counting as in ../../types.sp: "N days
# after day X" ends on X + N days; windows are inclusive.

module types

enum Carrier @cite("aliexpress-return-policy-guide.txt", "What is AliExpress’s return policy?") {
  dhl,
  tnt,
  ups,
  fedex,
  ems,  # "Japan Post EMS"
  sf_express,
  china_post,
  hongkong_post,
  cainiao
    @cite("aliexpress-buyer-help-center.txt", "What if the logistic information does not update anymore?"),
  aliexpress_shipping
    @cite("aliexpress-buyer-help-center.txt", "What if the logistic information does not update anymore?"),
  other,
}

enum Country @cite("aliexpress-buyer-help-center.txt", "What's Free Return Service?") {
  united_states,
  canada,
  australia,
  united_kingdom,
  france,
  spain,
  germany,
  italy,
  netherlands,
  brazil,
  israel,
  russia,
  south_korea,
  saudi_arabia,
  uae,
  poland,
  ukraine,
  belgium,
  other_eu,
  other,
}

record Order {
  paid_at: Date
  carrier: Carrier  # the shipping option chosen for the order
  ship_by: Date  # the last day of the seller's shipping time
  shipped_at: Date?
  delivery_deadline: Date?  # the last day of the promised delivery time
  delivered_at: Date?  # the day the parcel was received
  receipt_confirmed_at: Date?  # by the buyer or automatically
  invariant ship_by_after_payment: ship_by >= paid_at
  invariant ships_after_payment: if shipped_at is some(s) then s >= paid_at else true
  invariant deadline_once_shipped: (shipped_at is none) == (delivery_deadline is none)
  invariant deadline_after_shipment:
    if delivery_deadline is some(d) then d >= shipped_at ?? d else true
  invariant delivered_after_shipment:
    if delivered_at is some(v) then shipped_at is some(s) and v >= s else true
  invariant confirmed_after_shipment:
    if receipt_confirmed_at is some(c) then shipped_at is some(s) and c >= s else true
}

record CancelRequest {
  requested_at: DateTime  # a paid order, not yet shipped
  answered_at: DateTime?  # the seller's answer, if any
  invariant answer_after_request: if answered_at is some(t) then t >= requested_at else true
}
