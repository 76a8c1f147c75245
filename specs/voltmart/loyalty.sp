# L1: loyalty points. One point per whole dollar paid; silver members earn
# 1.5 points, gold members 2 points (rounded down to a whole point). Final-sale
# items earn nothing.

module loyalty
import types

def tier_multiplier(t: Tier) -> Percent
  @cite("voltmart-terms.txt", "L1 Loyalty tiers")
  = match t { Tier.basic => 100%, Tier.silver => 150%, Tier.gold => 200% }

def whole_dollars(m: Money) -> Int
  @cite("voltmart-terms.txt", "L1.1 Whole dollars")
  = round_down(m / US$1)

def points_earned(p: Purchase, t: Tier?) -> Int
  @cite("voltmart-terms.txt", "L1 Loyalty tiers")
  when p.category == Category.final_sale => 0
    @cite("voltmart-terms.txt", "L1.2 No points on final sale")
  when t is some(tier) => round_down(whole_dollars(p.paid) * tier_multiplier(tier))
  otherwise => 0  # not a member

test "points by tier" @cite("voltmart-terms.txt", "L1 Loyalty tiers") {
  given p = Purchase {
    sku: "CAM",
    category: Category.general,
    purchased_at: 2024-01-01,
    price: US$129.99,
    paid: US$129.99,
    payment: Payment.card,
  }
  expect whole_dollars(US$129.99) == 129
  expect points_earned(p, Tier.basic) == 129
  expect points_earned(p, Tier.silver) == 193  # 129 * 1.5 = 193.5
  expect points_earned(p, Tier.gold) == 258
  expect points_earned(p, none) == 0
}
