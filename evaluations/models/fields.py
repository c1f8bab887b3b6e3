from __future__ import annotations

from functools import partial

from django.db import models

# Money in 万元 with 4 places, money in 元 with 2, percentages with 4, scores with 2.
Amount = partial(models.DecimalField, max_digits=16, decimal_places=4, default=0)
Yuan = partial(models.DecimalField, max_digits=16, decimal_places=2, default=0)
Rate = partial(models.DecimalField, max_digits=8, decimal_places=4, default=0)
Score = partial(models.DecimalField, max_digits=6, decimal_places=2)
Count = partial(models.PositiveIntegerField, default=0)
