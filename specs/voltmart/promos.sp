# C1-C3: promo codes and gift cards at checkout.
#   C1: at most one percentage code per order (no stacking two percentage codes).
#   C2: a gift card may be combined with one percentage code; at most one gift card.
#   C3: percentage codes apply to the merchandise subtotal first (rounded down to
#       the cent), then gift cards pay from what is left, shipping included.

module promos
import shipping

enum CodeKind @cite("voltmart-terms.txt", "C1 Promo codes") {
  percent_code,
  gift_card @cite("voltmart-terms.txt", "C2 Gift cards"),
}

record Code {
  id: Text
  kind: CodeKind
  percent_off: Percent?  # percentage codes only
  balance: Money  # gift cards only
  min_spend: Money?
  used: Bool  # chosen by the plan
  invariant balance_not_negative: balance >= US$0
  invariant percent_shape:
    if kind == CodeKind.percent_code
      then percent_off is some(p) and p > 0% and p <= 50% and balance == US$0
    else percent_off is none
}

record Cart {
  subtotal: Money
  speed: Speed
  codes: List[Code, 6]
  invariant subtotal_not_negative: subtotal >= US$0
}

def percent_discount(cart: Cart) -> Money
  @cite("voltmart-terms.txt", "C3 Order of application")
  = sum(
      round_down(cart.subtotal * (c.percent_off ?? 0%))
      for c in cart.codes
      where c.used and c.kind == CodeKind.percent_code
    )

def after_codes(cart: Cart) -> Money
  @cite("voltmart-terms.txt", "C3 Order of application")
  = max(US$0, cart.subtotal - percent_discount(cart))

# Free shipping is judged on the subtotal after percentage codes.
def order_total(cart: Cart) -> Money
  @cite("voltmart-terms.txt", "S1 Free shipping")
  = after_codes(cart) + shipping_fee(after_codes(cart), cart.speed)

def gift_card_applied(cart: Cart) -> Money
  @cite("voltmart-terms.txt", "C2 Gift cards")
  = min(
      order_total(cart),
      sum(c.balance for c in cart.codes where c.used and c.kind == CodeKind.gift_card),
    )

def cash_due(cart: Cart) -> Money
  @cite("voltmart-terms.txt", "C3 Order of application")
  = order_total(cart) - gift_card_applied(cart)

rule stacking_ok(cart: Cart)
  @cite("voltmart-terms.txt", "C1 Promo codes")
  unless count(c in cart.codes where c.used and c.kind == CodeKind.percent_code) > 1
    @cite("voltmart-terms.txt", "C1 Promo codes")
  unless count(c in cart.codes where c.used and c.kind == CodeKind.gift_card) > 1
    @cite("voltmart-terms.txt", "C2 Gift cards")
  unless exists c in cart.codes where c.used and c.min_spend is some(m). cart.subtotal < m
    @cite("voltmart-terms.txt", "C1.1 Minimum spend")

plan best_codes(cart: Cart)
  @cite("voltmart-terms.txt", "C1 Promo codes")
  choose c.used for c in cart.codes
  let cash = cash_due(cart)
  let gift_card_spent = gift_card_applied(cart)
  require stacking_ok(cart) @cite("voltmart-terms.txt", "C1 Promo codes")
  minimize cash then minimize gift_card_spent then minimize count(c in cart.codes where c.used)

test "one percentage code plus a gift card" @cite("voltmart-terms.txt", "C2 Gift cards") {
  given cart = Cart {
    subtotal: US$80,
    speed: Speed.standard,
    codes: [
      Code {
        id: "SAVE10",
        kind: CodeKind.percent_code,
        percent_off: 10%,
        balance: US$0,
        used: true,
      },
      Code { id: "GC-25", kind: CodeKind.gift_card, balance: US$25, used: true },
    ],
  }
  # 80 - 8 = 72 (> 35: free shipping); gift card 25 -> cash 47
  expect stacking_ok(cart)
  expect percent_discount(cart) == US$8
  expect order_total(cart) == US$72
  expect cash_due(cart) == US$47
}

test "two percentage codes do not stack" @cite("voltmart-terms.txt", "C1 Promo codes") {
  given cart = Cart {
    subtotal: US$80,
    speed: Speed.standard,
    codes: [
      Code {
        id: "SAVE10",
        kind: CodeKind.percent_code,
        percent_off: 10%,
        balance: US$0,
        used: true,
      },
      Code {
        id: "SAVE15",
        kind: CodeKind.percent_code,
        percent_off: 15%,
        balance: US$0,
        used: true,
      },
    ],
  }
  expect not stacking_ok(cart)
}

# 15% of 39.99 = 5.9985 -> 5.99; 34.00 is not over 35, so shipping 5.99 -> 39.99
test "a code can cost free shipping" @cite("voltmart-terms.txt", "S1 Free shipping") {
  given cart = Cart {
    subtotal: US$39.99,
    speed: Speed.standard,
    codes: [Code {
      id: "SAVE15",
      kind: CodeKind.percent_code,
      percent_off: 15%,
      balance: US$0,
      used: true,
    }],
  }
  expect percent_discount(cart) == US$5.99
  expect order_total(cart) == US$39.99
}
