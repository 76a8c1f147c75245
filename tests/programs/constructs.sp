# Every construct of the core in one small program, for the Z3 differential tests
# (tests/test_differential.py) and the symbolic queries (tests/test_verify.py).

module constructs

enum Carrier { dhl, ups, china_post, other }
enum Kind { plain, fragile }

record Item {
  price: Money
  qty: Int
  kind: Kind
  weight: Mass?
  invariant qty_positive: qty >= 1
}

record Order {
  paid_at: Date
  shipped_at: Date?
  delivered_at: Date?
  cash_paid: Money
  fee: Money
  discount: Percent
  carrier: Carrier
  postal: Text
  placed: DateTime
  wait: Duration
  items: List[Item, 3]
  tags: List[Text, 2]
  invariant ships_after_payment: if shipped_at is some(s) then s >= paid_at else true
  invariant delivered_once_shipped: delivered_at is none or shipped_at is some(x)
}

const grace: Days = 11 days
const cap: Money = US$100.00
const rate: Percent = 12.5%

def total(o: Order) -> Money = sum(i.price * i.qty for i in o.items)
def heavy_count(o: Order) -> Int = count(i in o.items where i.weight ?? 0 g > 2 kg)
def cheapest(o: Order) -> Money = min(i.price for i in o.items where i.kind == Kind.plain else US$0)
def dearest(o: Order) -> Money = max(i.price for i in o.items else -$1)
def discounted(o: Order) -> Money = round_half_up(o.cash_paid * o.discount)
def down(o: Order) -> Money = round_down(o.cash_paid * rate)
def up(o: Order) -> Money = round_up(o.cash_paid * rate)
def even(o: Order) -> Money = round_half_even(o.cash_paid * o.discount)
def share(o: Order) -> Money = round_half_even(o.cash_paid / size(o.items))
def ratio(o: Order) -> Int = round_half_up(o.cash_paid / o.fee)
def safe_ratio(o: Order) -> Int = if o.fee != $0 then round_down(o.cash_paid / o.fee) else 0
def net(o: Order) -> Money = max($0, o.cash_paid - o.fee) + min(o.fee, cap, o.cash_paid)
def neg(o: Order) -> Money = -o.fee
def delay(o: Order) -> Days = (o.delivered_at ?? o.paid_at) - o.paid_at
def day_placed(o: Order) -> Date = date_of(o.placed + o.wait)
def back_to_midnight(o: Order) -> DateTime = start_of(o.paid_at) + 2 days
def closes(o: Order) -> Date? = if o.shipped_at is some(s) then some(s + 30 days) else none
def label(o: Order) -> Text = if starts_with(o.postal, "35") then "south" else o.postal
def code_len(o: Order) -> Int = length(o.postal)
def first_item(o: Order) -> Item? = if size(o.items) > 0 then some(Item { price: $1, qty: 1, kind: Kind.plain }) else none
def same_items(a: Order, b: Order) -> Bool = a.items == b.items and a.shipped_at == b.shipped_at
def deadline(c: Carrier) -> Days = match c {
  Carrier.dhl | Carrier.ups => 23 days,
  Carrier.china_post => 39 days,
  _ => 60 days,
}
def refund(o: Order) -> Money
  when o.shipped_at is none => o.cash_paid
  when o.cash_paid > $10 and o.carrier != Carrier.other => round_half_up(o.cash_paid * 15%)
  when contains(o.postal, "9") or ends_with(o.postal, "0") => $1
  otherwise => $0
def partial(o: Order) -> Money
  when o.fee > $5 => o.fee
  when o.fee > $2 => o.fee * round_down(o.cash_paid / o.fee)
  otherwise => o.fee * round_down(o.cash_paid / (o.fee - $1))

rule fragile_inside(o: Order) when exists i in o.items. i.kind == Kind.fragile
rule all_cheap(o: Order) when forall i in o.items where i.kind == Kind.plain. i.price < $50
rule some_kind_absent(o: Order) when exists k: Kind. not (exists i in o.items. i.kind == k)
rule tagged(o: Order) when "vip" in o.tags
rule dhl_or_ups(o: Order) when o.carrier in [Carrier.dhl, Carrier.ups]
rule can_open(o: Order, today: Date)
  when o.shipped_at is some(s) and today >= s + grace and today <= closes(o) ?? s
  unless o.cash_paid == $0
  unless o.carrier == Carrier.ups except o.cash_paid > $100 except o.fee < $1
rule late(o: Order, now: DateTime)
  when now - o.placed > 48 hours
  when now < o.placed
rule blocked(o: Order, today: Date) overrides can_open
  when o.carrier == Carrier.china_post and today < o.paid_at + 3 days
rule in_window(o: Order, today: Date) when today in dispute(o)
window dispute(o: Order) from o.shipped_at to closes(o)
