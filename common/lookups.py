"""`__in` on integer fields ignores values no integer column can hold, as Django's own `exact`, `gt`... do.

Django answers `pk=99999999999999999999` with no rows (IntegerFieldOverflow) but passes the same value in
`pk__in=[...]` to the database, where SQLite's driver raises OverflowError: a form with a model multiple
choice (priority groups, the applications of a bulk action) answered 500 to a hostile value instead of
"Select a valid choice". Registered on IntegerField, this covers every integer and auto field and every
foreign key to one, for every form and filter, present and future."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not isinstance(self.rhs, str):
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
