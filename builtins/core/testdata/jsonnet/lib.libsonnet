{ disk(size):: { size: size } }
