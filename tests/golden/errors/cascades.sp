record Item { sku: Text  price: Money }
record Order { items: List[Item, 3]  slot: Slot }
enum Slot { weekday, weekend }
def total(o: Order) -> Int = sum(i.sku for i in o.items) ### "cannot sum `Text`"
def most(o: Order) -> Int = max(i.slot for i in o.items else Slot.weekday) ### "has no field `slot`"
def least(o: Order) -> Int = min(o.slot, o.slot) ### "`min` needs ordered values"
def minus(o: Order) -> Int = -"x" ### "cannot negate `Text`"
def rounded(o: Order) -> Money = round_down(o.slot) ### "rounds exact amounts"
def best(o: Order) -> Int = max(i.sku for i in o.items else "a") + 1 ### "`max` needs ordered values"
---
record Coupon { id: Text  used: Bool }
record Cart { coupons: List[Coupon, 3]  total: Money }
def cash_due(c: Cart) -> Money = c.total
plan p1(cart: Cart)
  choose c.id for c in cart.coupons ### "can choose `Bool` and enum fields, found `Text`"
  minimize cash_due(cart)
plan p2(cart: Cart)
  choose c.used for c in cart.coupon ### "record `Cart` has no field `coupon`"
  minimize cash_due(cart)
plan p3(cart: Cart)
  choose c.usd for c in cart.coupons ### "record `Coupon` has no field `usd`"
  minimize cash_due(cart)
plan p4(cart: Cart) ### "plan `p4` chooses nothing"
  require cart.total > $1
  minimize cash_due(cart)
