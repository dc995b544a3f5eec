"""A paginator whose deep pages cost what the first one does.

`OFFSET n` makes the database build and drop the n rows before the page: with wide rows and joins, a page
deep in a list of thousands sorts them all. `IdPaginator` first reads only the page's ids, which an index on
the list's order answers by itself (an index-only scan, even at OFFSET 3,000), then loads those rows by
primary key, in the page's order. One query more than Django's Paginator, whatever the page.
"""

from django.core.paginator import Paginator


class IdPaginator(Paginator):
    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
